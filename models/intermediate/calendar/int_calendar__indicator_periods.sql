-- The period ends indicators are computed at, one row per date: every QOF year end (31 March) the extract covers, and
-- every month end on or before the as-of date within the last var('indicator_monthly_history_months') months (the
-- monthly series behind time series and SPC charts). Month ends come from the extract's manifest at compile time
-- (macro discovery_extract_month_ends), so the SQL is plain literals on every engine.
{% set month_ends = discovery_extract_month_ends() %}
with

month_ends as (

    select cast(null as date) as period_end
    where 1 = 0
    {% for month_end in month_ends %}
        union all
        select cast('{{ month_end }}' as date) as period_end
    {% endfor %}

),

flagged_month_ends as (

    select
        period_end,
        extract(month from period_end) = 3 as is_qof_year_end
    from month_ends
    where period_end <= {{ as_of_date() }}

),

indicator_periods as (

    select
        period_end,
        is_qof_year_end,
        period_end > {{ dbt.dateadd('month', -var('indicator_monthly_history_months'), as_of_date()) }}
            as is_in_monthly_series
    from flagged_month_ends

)

select
    period_end,
    is_qof_year_end,
    is_in_monthly_series
from indicator_periods
where is_qof_year_end or is_in_monthly_series
