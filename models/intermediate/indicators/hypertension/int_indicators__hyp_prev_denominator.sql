-- HYP_PREV denominator: every registered patient (all ages) at each QOF year end: the practice list.
with

denominator_rows as (

    select *
    from {{ ref('int_indicators__registered_population') }}
    where is_qof_year_end

)

select * from denominator_rows
