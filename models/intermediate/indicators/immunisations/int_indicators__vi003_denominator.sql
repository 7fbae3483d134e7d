-- VI003 denominator: registered children who reached 60 months of age in the 12 months to the period end (aged
-- 60 to 71 completed months on it).
with

denominator_rows as (

    {{ population_at_period_ends(ref('int_indicators__population_intervals'), min_age_months=60, max_age_months=71) }}

)

select * from denominator_rows
