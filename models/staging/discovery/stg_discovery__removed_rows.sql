-- The raw Discovery rows that staging removes, for every extract table: delete rows, the rows they delete, and
-- the extra copies of exact duplicates (macro discovery_removed_rows). One row per raw row removed, numbered within
-- its (table, key, rule) by rule_occurrence. With the staged rows they account for every raw row
-- (fct_dq_reconciliation).
{%- set extract_tables = discovery_tables() %}

with
{% for extract_table in extract_tables %}
removed_{{ extract_table.name }}_rows as (

    {{ discovery_removed_rows(
        source('discovery', extract_table.name),
        extract_table.name,
        key=extract_table.key,
        organization_column=extract_table.organization_column
    ) }}

),
{% endfor %}
removed_rows as (
    {%- for extract_table in extract_tables %}

    select
        source_table,
        record_key,
        organization_id,
        rule
    from removed_{{ extract_table.name }}_rows
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select
    source_table,
    record_key,
    organization_id,
    rule,
    cast(row_number() over (
        partition by source_table, record_key, rule
        order by organization_id
    ) as {{ dbt.type_int() }}) as rule_occurrence
from removed_rows
