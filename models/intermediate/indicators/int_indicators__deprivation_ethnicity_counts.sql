-- Every indicator's patient outcomes counted per (indicator, period end, practice organization_id,
-- ethnicity_deprivation_id: NHS ethnic category x IMD decile; macro outcome_counts), summed over age band and sex:
-- all int_indicators__rates needs for its deprivation and ethnicity breakdowns.
with

counts as (

    {{ outcome_counts('ethnicity_deprivation_id') }}

)

select * from counts
