-- Calendar days for BI and the semantic layer (published.dim_date; MetricFlow's time spine): one row per day from
-- 2000 to 2040, with the month end (the period_end of a monthly series) and the QOF year (1 April to 31 March) the
-- day falls in. Reference data: no person data.
with

days as (

    {{ dbt.date_spine('day', "cast('2000-01-01' as date)", "cast('2041-01-01' as date)") }}

),

calendar as (

    select
        cast(date_day as date) as date_day,
        cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, dbt.date_trunc('month', 'date_day'))) }} as date
        ) as month_end,
        cast(
            case
                when extract(month from date_day) >= 4 then extract(year from date_day) + 1
                else extract(year from date_day)
            end as {{ dbt.type_int() }}
        ) as qof_year_ending
    from days

)

select
    date_day,
    month_end,
    qof_year_ending,
    cast({{ dbt.concat(['cast(qof_year_ending as ' ~ dbt.type_string() ~ ')', "'-03-31'"]) }} as date) as qof_year_end
from calendar
