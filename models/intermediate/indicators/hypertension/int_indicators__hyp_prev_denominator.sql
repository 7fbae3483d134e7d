-- HYP_PREV denominator: every registered patient (all ages) at each QOF year end: the practice list.
with

denominator_rows as (

    select {{ registered_population_columns('population') }}
    from {{ ref('int_indicators__registered_population') }} as population
    where population.is_qof_year_end

)

select * from denominator_rows
