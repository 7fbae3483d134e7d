-- Raw-to-staged reconciliation of every Discovery extract table: the rows delivered, and where each went. Counted
-- independently: raw_rows from the files (stg_discovery__raw_row_counts); deleted, duplicate and quarantined rows
-- from fct_dq_row_outcomes; kept_rows from the staging model (its rows with no quarantine outcome). The test
-- raw_rows = kept_rows + quarantined_rows + deleted_rows + duplicate_rows_removed therefore proves that no row is
-- lost or counted twice.
{%- set extract_tables = discovery_tables() %}

with

raw_row_counts as (

    select
        source_table,
        raw_rows
    from {{ ref('stg_discovery__raw_row_counts') }}

),

row_outcomes as (

    select
        source_table,
        record_key,
        action
    from {{ ref('fct_dq_row_outcomes') }}

),

removed_row_counts as (

    select
        source_table,
        sum(case when action = 'deleted' then 1 else 0 end) as deleted_rows,
        sum(case when action = 'duplicate_removed' then 1 else 0 end) as duplicate_rows_removed,
        count(distinct case when action = 'quarantined' then record_key end) as quarantined_rows
    from row_outcomes
    group by source_table

),

kept_row_outcomes as (

    -- per staged key: whether any outcome quarantined, corrected or flagged it
    select
        source_table,
        record_key,
        max(case when action = 'quarantined' then 1 else 0 end) as is_quarantined,
        max(case when action = 'corrected' then 1 else 0 end) as is_corrected,
        max(case when action = 'flagged' then 1 else 0 end) as is_flagged
    from row_outcomes
    where action in ('quarantined', 'corrected', 'flagged')
    group by source_table, record_key

),

-- Each staging table's rows with their outcomes, if any. The keys of the extract are integer ids
-- (macro discovery_tables), so the few outcome keys are cast back to meet the ids: casting every staged id to text
-- to meet them took most of this model's time at NEL (75M rows).
kept_row_counts as (
    {%- for extract_table in extract_tables %}

    select
        '{{ extract_table.name }}' as source_table,
        sum(case when coalesce(outcomes.is_quarantined, 0) = 0 then 1 else 0 end) as kept_rows,
        sum(case when coalesce(outcomes.is_quarantined, 0) = 0 then outcomes.is_corrected else 0 end) as corrected_rows,
        sum(case when coalesce(outcomes.is_quarantined, 0) = 0 then outcomes.is_flagged else 0 end) as flagged_rows
    from {{ ref('stg_discovery__' ~ extract_table.name) }} as staged_rows
    left join kept_row_outcomes as outcomes
        on
            staged_rows.{{ extract_table.key }} = cast(outcomes.record_key as {{ dbt.type_bigint() }})
            and outcomes.source_table = '{{ extract_table.name }}'
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

reconciliation as (

    select
        cast(raw_row_counts.source_table as {{ dbt.type_string() }}) as source_table,
        cast(raw_row_counts.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(coalesce(removed_row_counts.deleted_rows, 0) as {{ dbt.type_bigint() }}) as deleted_rows,
        cast(
            coalesce(removed_row_counts.duplicate_rows_removed, 0) as {{ dbt.type_bigint() }}
        ) as duplicate_rows_removed,
        cast(coalesce(removed_row_counts.quarantined_rows, 0) as {{ dbt.type_bigint() }}) as quarantined_rows,
        cast(coalesce(kept_row_counts.kept_rows, 0) as {{ dbt.type_bigint() }}) as kept_rows,
        cast(coalesce(kept_row_counts.corrected_rows, 0) as {{ dbt.type_bigint() }}) as corrected_rows,
        cast(coalesce(kept_row_counts.flagged_rows, 0) as {{ dbt.type_bigint() }}) as flagged_rows
    from raw_row_counts
    left join removed_row_counts
        on raw_row_counts.source_table = removed_row_counts.source_table
    left join kept_row_counts
        on raw_row_counts.source_table = kept_row_counts.source_table

)

select * from reconciliation
