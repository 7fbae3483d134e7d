-- Every indicator's patient outcomes at QOF year ends counted per (indicator, period end, practice organization_id,
-- finest stratum_id: age band x sex x ethnic category x IMD decile; macro outcome_counts): what the age-standardised
-- rates (fct_indicator_standardised_rates, proportion indicators) sum, 1 in 12 of the period ends.
with

counts as (

    {{ outcome_counts('stratum_id', year_ends_only=true) }}

)

select * from counts
