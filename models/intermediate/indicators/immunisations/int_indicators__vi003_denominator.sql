-- VI003 denominator: registered children who reached 60 months of age in the 12 months to the period end (aged
-- 60 to 71 completed months on it).
with

denominator_rows as (

    select {{ registered_population_columns('population') }}
    from {{ ref('int_indicators__registered_population') }} as population
    where population.age_months between 60 and 71

)

select * from denominator_rows
