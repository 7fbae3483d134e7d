-- VI002 denominator: registered children who reached 18 months of age in the 12 months to the period end (aged
-- 18 to 29 completed months on it).
with

denominator_rows as (

    select {{ registered_population_columns('population') }}
    from {{ ref('int_indicators__registered_population') }} as population
    where population.age_months between 18 and 29

)

select * from denominator_rows
