{#- A select of the non-NULL keys delivered in more than one row of a Discovery extract table, delete rows aside
    (column `key`, each once): the only keys whose rows can be exact duplicates, as copies of a row share its key.
    Portable SQL. -#}
{% macro discovery_repeated_keys(relation, key) %}
    select repeated_rows.{{ key }}
    from {{ relation }} as repeated_rows
    where not coalesce(repeated_rows.is_delete, false) and repeated_rows.{{ key }} is not null
    group by repeated_rows.{{ key }}
    having count(*) > 1
{% endmacro %}
