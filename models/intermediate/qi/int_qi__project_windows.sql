-- Each QI project's evaluation windows, one row per (project, window, period end in it). Monthly indicators: the
-- baseline window is the month ends in the 12 months before the project starts, the follow-up window the month
-- ends in the project's last 12 months (to its end, and no later than the as-of date). Annual indicators: the last
-- QOF year end before the start, and the last one on or before the end (after the start). Averaging a patient over
-- a window's month ends uses every reading of the year, not one snapshot.
with

projects as (

    select * from {{ ref('int_qi__evaluations') }}

),

indicators as (

    select
        indicator_id,
        frequency
    from {{ ref('ref_indicators') }}

),

periods as (

    select
        period_end,
        is_qof_year_end,
        is_in_monthly_series
    from {{ ref('int_calendar__indicator_periods') }}

),

candidate_periods as (

    select
        projects.evaluation_id,
        projects.indicator_id,
        indicators.frequency,
        periods.period_end,
        case
            when periods.period_end < projects.start_date then 'baseline'
            when periods.period_end <= projects.end_date then 'follow_up'
        end as window_name,
        case
            when periods.period_end < projects.start_date
                then cast({{ dbt.dateadd('month', -12, 'projects.start_date') }} as date)
            else cast({{ dbt.dateadd('month', -12, 'projects.end_date') }} as date)
        end as monthly_window_opens
    from projects
    inner join indicators
        on projects.indicator_id = indicators.indicator_id
    cross join periods
    where
        periods.period_end <= projects.end_date
        and (
            (indicators.frequency = 'monthly' and periods.is_in_monthly_series)
            or (indicators.frequency != 'monthly' and periods.is_qof_year_end)
        )

),

annual_choices as (

    select
        evaluation_id,
        window_name,
        max(period_end) as period_end
    from candidate_periods
    where frequency != 'monthly'
    group by evaluation_id, window_name

)

select
    candidate_periods.evaluation_id,
    candidate_periods.indicator_id,
    candidate_periods.window_name,
    candidate_periods.period_end
from candidate_periods
left join annual_choices
    on
        candidate_periods.evaluation_id = annual_choices.evaluation_id
        and candidate_periods.window_name = annual_choices.window_name
where
    (candidate_periods.frequency = 'monthly' and candidate_periods.period_end >= candidate_periods.monthly_window_opens)
    or candidate_periods.period_end = annual_choices.period_end
