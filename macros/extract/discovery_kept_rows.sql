{#- The rows of a Discovery extract table that survive its delete rows: a delete row (is_delete, only the key
    filled) removes itself and every row with the same key. Returns a select over `relation` (all columns). -#}
{% macro discovery_kept_rows(relation, key='id') %}
    {{ return(adapter.dispatch('discovery_kept_rows', 'equity_qi')(relation, key)) }}
{% endmacro %}


{% macro default__discovery_kept_rows(relation, key) %}
    select source_rows.*
    from {{ relation }} as source_rows
    where
        not coalesce(source_rows.is_delete, false)
        and not exists (
            select 1
            from {{ relation }} as delete_rows
            where delete_rows.is_delete and delete_rows.{{ key }} = source_rows.{{ key }}
        )
{% endmacro %}
