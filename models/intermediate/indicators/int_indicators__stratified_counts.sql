-- Every indicator's patient outcomes counted once per finest stratum: one row per (indicator, period end, practice,
-- age band, sex, ethnic group, IMD decile) with patients in the indicator's population. Every rate, standardised
-- rate and gradient mart rolls these counts up (sums add up exactly), instead of re-reading the person-periods.
-- Counts: n_denominator (no exclusion applies), n_numerator (of those, the numerator is met), n_excluded; for mean
-- indicators sum_value and sum_value_squared over the denominator's values (the mean and its standard deviation).
with

outcomes as (

    select * from {{ ref('int_indicators__patient_outcomes') }}

),

practices as (

    select
        id as organization_id,
        ods_code as practice_code
    from {{ ref('stg_discovery__organization') }}

),

stratified_counts as (

    select
        outcomes.indicator_id,
        outcomes.period_end,
        outcomes.is_qof_year_end,
        practices.practice_code,
        outcomes.age_band,
        outcomes.sex,
        outcomes.ethnicity_group_5,
        outcomes.ethnicity_group_16,
        outcomes.imd_decile,
        outcomes.imd_quintile,
        outcomes.is_core20,
        sum(case when outcomes.in_denominator then 1 else 0 end) as n_denominator,
        sum(case when outcomes.in_denominator and outcomes.in_numerator then 1 else 0 end) as n_numerator,
        sum(case when outcomes.in_denominator then 0 else 1 end) as n_excluded,
        sum(case when outcomes.in_denominator then outcomes.value end) as sum_value,
        sum(case when outcomes.in_denominator then outcomes.value * outcomes.value end) as sum_value_squared
    from outcomes
    left join practices
        on outcomes.organization_id = practices.organization_id
    group by
        outcomes.indicator_id,
        outcomes.period_end,
        outcomes.is_qof_year_end,
        practices.practice_code,
        outcomes.age_band,
        outcomes.sex,
        outcomes.ethnicity_group_5,
        outcomes.ethnicity_group_16,
        outcomes.imd_decile,
        outcomes.imd_quintile,
        outcomes.is_core20

)

select * from stratified_counts
