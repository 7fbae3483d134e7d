-- VI002 denominator: registered children who reached 18 months of age in the 12 months to the period end (aged
-- 18 to 29 completed months on it).
with

denominator_rows as (

    {{ population_at_period_ends(ref('int_indicators__population_intervals'), min_age_months=18, max_age_months=29) }}

)

select * from denominator_rows
