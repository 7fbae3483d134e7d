-- HYP_PREV denominator: every registered patient (all ages) at each QOF year end: the practice list.
with

denominator_rows as (

    {{ population_at_period_ends(ref('int_indicators__population_intervals'), qof_year_ends_only=true) }}

)

select * from denominator_rows
