{#- The columns the raw view of a Discovery source table exposes, in file order, as a list of [name, SQL select
    expression] pairs, from `source_node` (a graph.sources node). Direct identifiers never reach a relation: a
    column whose meta identifier is true is left out; 'presence' becomes the boolean has_<column> (the record
    carries a value). The one place that rule lives: register_discovery_extract builds the views with it, and
    discovery_removed_rows compares duplicates over the same columns. -#}
{% macro discovery_view_columns(source_node) %}
    {%- set view_columns = [] -%}
    {%- for column in source_node.columns.values() -%}
        {%- set identifier = column.meta.get('identifier') or (column.config or {}).get('meta', {}).get('identifier') -%}
        {%- set quoted = adapter.quote(column.name) -%}
        {%- if not identifier -%}
            {%- do view_columns.append([column.name, quoted]) -%}
        {%- elif identifier == 'presence' -%}
            {%- do view_columns.append([
                'has_' ~ column.name,
                "nullif(trim(cast(" ~ quoted ~ " as " ~ dbt.type_string() ~ ")), '') is not null as has_" ~ column.name
            ]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(view_columns) }}
{% endmacro %}
