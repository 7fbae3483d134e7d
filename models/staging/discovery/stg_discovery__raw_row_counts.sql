-- Rows delivered per Discovery extract table, as read from the files (delete rows and duplicates included): the
-- starting point of fct_dq_reconciliation.
{%- set extract_tables = discovery_tables() %}

with

raw_row_counts as (
    {%- for extract_table in extract_tables %}

    select
        '{{ extract_table.name }}' as source_table,
        count(*) as raw_rows
    from {{ source('discovery', extract_table.name) }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from raw_row_counts
