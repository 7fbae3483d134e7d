-- Every indicator's patient outcomes counted per (indicator, period end, practice organization_id, age_sex_id: ESP
-- 2013 age band x sex; macro outcome_counts), summed over ethnicity and deprivation: all int_indicators__rates
-- needs for its age band and sex breakdowns.
with

counts as (

    {{ outcome_counts('age_sex_id') }}

)

select * from counts
