{#- A select of the rows of a Discovery extract table that staging removes, one row per raw row, with columns
    source_table, record_key (the key as a string), organization_id and rule:
      delete_row             the delete row itself (is_delete; it carries only the key)
      deleted_by_delete_row  a row whose key a delete row names
      exact_duplicate        the second, third... copy of a row delivered more than once with every column equal
                             (staging keeps the first copy: discovery_staged_rows)
    The complement of discovery_staged_rows(): raw rows = staged rows + these rows.
    The columns compared for duplicates are those the raw view exposes (macro discovery_view_columns). -#}
{% macro discovery_removed_rows(relation, source_table, key='id', organization_column=none) %}
    {{ return(adapter.dispatch('discovery_removed_rows', 'equity_qi')(
        relation, source_table, key, organization_column
    )) }}
{% endmacro %}


{% macro default__discovery_removed_rows(relation, source_table, key, organization_column) %}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values()
            if node.package_name == project_name and node.source_name == 'discovery' and node.name == source_table -%}
            {%- for column in discovery_view_columns(node) -%}
                {%- do columns.append(column[0]) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if columns | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "discovery_removed_rows: source discovery." ~ source_table ~ " has no columns in the sources yml"
            ) }}
        {%- endif -%}
    {%- else -%}
        {%- do columns.append(key) -%}  {#- parse time: only the dependency matters -#}
    {%- endif -%}

    select
        '{{ source_table }}' as source_table,
        cast(delete_rows.{{ key }} as {{ dbt.type_string() }}) as record_key,
        cast(null as {{ dbt.type_bigint() }}) as organization_id,
        'delete_row' as rule
    from {{ relation }} as delete_rows
    where delete_rows.is_delete

    union all

    select
        '{{ source_table }}' as source_table,
        cast(deleted_rows.{{ key }} as {{ dbt.type_string() }}) as record_key,
        {{ _discovery_organization_id('deleted_rows', organization_column) }} as organization_id,
        'deleted_by_delete_row' as rule
    from {{ relation }} as deleted_rows
    inner join ({{ discovery_deleted_keys(relation, key) }}) as deleted_keys
        on deleted_rows.{{ key }} = deleted_keys.{{ key }}
    where not coalesce(deleted_rows.is_delete, false)

    union all

    select
        '{{ source_table }}' as source_table,
        cast(copies.{{ key }} as {{ dbt.type_string() }}) as record_key,
        {{ _discovery_organization_id('copies', organization_column) }} as organization_id,
        'exact_duplicate' as rule
    from (
        select
            kept_rows.*,
            row_number() over (
                partition by {% for column in columns %}kept_rows.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
                order by kept_rows.{{ key }}
            ) as copy_number
        from ({{ discovery_kept_rows(relation, key) }}) as kept_rows
        {#- copies of a row share its key: only keys delivered more than once (few) need the window over every
            column, not the whole table #}
        where
            kept_rows.{{ key }} is null
            or kept_rows.{{ key }} in ({{ discovery_repeated_keys(relation, key) }})
    ) as copies
    where copies.copy_number > 1
{% endmacro %}


{#- organization_id of a removed row: the given column of the row, or NULL for tables without one. -#}
{% macro _discovery_organization_id(alias, organization_column) -%}
    {%- if organization_column -%}
        cast({{ alias }}.{{ organization_column }} as {{ dbt.type_bigint() }})
    {%- else -%}
        cast(null as {{ dbt.type_bigint() }})
    {%- endif -%}
{%- endmacro %}
