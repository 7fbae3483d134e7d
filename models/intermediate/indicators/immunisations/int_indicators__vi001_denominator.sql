-- VI001 denominator: registered children who reached 8 months of age in the 12 months to the period end (aged
-- 8 to 19 completed months on it).
with

denominator_rows as (

    select {{ registered_population_columns('population') }}
    from {{ ref('int_indicators__registered_population') }} as population
    where population.age_months between 8 and 19

)

select * from denominator_rows
