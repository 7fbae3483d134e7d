{#- Generic test: within each `partition_by` group, no two periods [start_column, end_column) overlap. end_column is
    exclusive and NULL means open (no end); an empty period (end = start) overlaps nothing. Sorted by start, a set
    of periods has an overlap exactly when two neighbours do, so each period is compared with the one before it.
    Failing rows: the periods that start before the previous one ends. -#}
{% test periods_do_not_overlap(model, partition_by, start_column, end_column) %}
    {{ return(adapter.dispatch('test_periods_do_not_overlap', 'equity_qi')(
        model, partition_by, start_column, end_column
    )) }}
{% endtest %}


{% macro default__test_periods_do_not_overlap(model, partition_by, start_column, end_column) %}
with

non_empty_periods as (

    select
        {{ partition_by }} as period_group,
        {{ start_column }} as period_start,
        {{ end_column }} as period_end
    from {{ model }}
    where {{ end_column }} is null or {{ end_column }} > {{ start_column }}

),

periods_with_previous as (

    select
        period_group,
        period_start,
        period_end,
        lag(period_start) over (
            partition by period_group order by period_start, period_end
        ) as previous_start,
        lag(period_end) over (
            partition by period_group order by period_start, period_end
        ) as previous_end
    from non_empty_periods

)

-- failing rows: a period starting before its predecessor ends (or while the predecessor is still open)
select *
from periods_with_previous
where
    previous_start is not null
    and (previous_end is null or previous_end > period_start)
{% endmacro %}
