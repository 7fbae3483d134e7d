{#- A select of the keys that the delete rows of a Discovery extract table name (column `key`, each once): the rows
    discovery_kept_rows drops and discovery_removed_rows lists as deleted. Meant to be joined on: as a correlated
    "not exists", DuckDB decorrelates through the distinct keys of the whole table (at NEL with background codes
    131 s and 29 GB of spill, against 4 s for the join). Portable SQL. -#}
{% macro discovery_deleted_keys(relation, key) %}
    select distinct delete_rows.{{ key }}
    from {{ relation }} as delete_rows
    where delete_rows.is_delete
{% endmacro %}
