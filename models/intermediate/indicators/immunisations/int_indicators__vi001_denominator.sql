-- VI001 denominator: registered children who reached 8 months of age in the 12 months to the period end (aged
-- 8 to 19 completed months on it).
with

denominator_rows as (

    {{ population_at_period_ends(ref('int_indicators__population_intervals'), min_age_months=8, max_age_months=19) }}

)

select * from denominator_rows
