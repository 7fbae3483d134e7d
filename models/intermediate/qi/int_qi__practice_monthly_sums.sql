-- The monthly series behind the QI projects' interrupted time series (int_qi__interrupted_time_series): for every
-- indicator a project evaluates and every practice, at each month end of the monthly series, the denominator and
-- the numerator (for means the sum of the values) of all patients (subgroup 0) and of each IMD quintile (1..5), so
-- that any set of practices' monthly level, gap and SII follow by adding rows. Month ends after the last project's
-- end on that indicator are not needed and are left out.
with

project_indicators as (

    select
        indicator_id,
        max(end_date) as last_end_date
    from {{ ref('int_qi__evaluations') }}
    group by indicator_id

),

periods as (

    select period_end
    from {{ ref('int_calendar__indicator_periods') }}
    where is_in_monthly_series

),

rates as (

    select
        indicator_id,
        period_end,
        geography_code as practice_code,
        dimension,
        stratum,
        numerator,
        denominator
    from {{ ref('int_indicators__rates') }}
    where
        geography_level = 'practice'
        and (dimension = 'overall' or (dimension = 'imd_quintile' and stratum in ('1', '2', '3', '4', '5')))

)

select
    rates.indicator_id,
    rates.practice_code,
    rates.period_end,
    cast(
        case when rates.dimension = 'overall' then 0 else cast(rates.stratum as {{ dbt.type_int() }}) end
        as {{ dbt.type_int() }}
    ) as subgroup_order,
    cast(rates.denominator as {{ dbt.type_bigint() }}) as n,
    -- a month without patients in a stratum has no numerator: its sum is 0
    cast(coalesce(rates.numerator, 0) as {{ type_double() }}) as sum_outcome
from rates
inner join project_indicators
    on rates.indicator_id = project_indicators.indicator_id
inner join periods
    on rates.period_end = periods.period_end
where rates.period_end <= project_indicators.last_end_date
