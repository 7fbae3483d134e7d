-- HYP_PREV denominator: every registered patient (all ages) at each QOF year end: the practice list.
with

denominator_rows as (

    select {{ registered_population_columns('population') }}
    from {{ ref('int_indicators__registered_population') }} as population
    inner join {{ ref('int_calendar__indicator_periods') }} as periods
        on population.period_end = periods.period_end
    where periods.is_qof_year_end

)

select * from denominator_rows
