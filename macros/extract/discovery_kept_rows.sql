{#- The rows of a Discovery extract table that survive its delete rows: a delete row (is_delete, only the key
    filled) removes itself and every row with the same key. Returns a select over `relation` (all columns). -#}
{% macro discovery_kept_rows(relation, key='id') %}
    {{ return(adapter.dispatch('discovery_kept_rows', 'equity_qi')(relation, key)) }}
{% endmacro %}


{% macro default__discovery_kept_rows(relation, key) %}
    {#- an anti-join on the few deleted keys, not a correlated "not exists" (see discovery_deleted_keys) #}
    select source_rows.*
    from {{ relation }} as source_rows
    left join ({{ discovery_deleted_keys(relation, key) }}) as deleted_keys
        on source_rows.{{ key }} = deleted_keys.{{ key }}
    where
        not coalesce(source_rows.is_delete, false)
        and deleted_keys.{{ key }} is null
{% endmacro %}
