-- Every indicator's patient outcomes counted once per finest stratum: one row per (indicator, period end, practice,
-- age band, sex, ethnic group, IMD decile) with patients in the indicator's population. Every rate, standardised
-- rate and gradient mart rolls these counts up (sums add up exactly), instead of re-reading the person-periods.
-- Counts: n_denominator (no exclusion applies), n_numerator (of those, the numerator is met), n_excluded; for mean
-- indicators sum_value and sum_value_squared over the denominator's values (the mean and its standard deviation).
with

outcomes as (

    select
        indicator_id,
        period_end,
        is_qof_year_end,
        organization_id,
        stratum_id,
        in_denominator,
        in_numerator,
        value
    from {{ ref('int_indicators__patient_outcomes') }}

),

practices as (

    select
        id as organization_id,
        ods_code as practice_code
    from {{ ref('stg_discovery__organization') }}

),

-- counted on the outcomes' own columns; the practice's code is joined to the (far fewer) counted rows
strata as (

    select
        stratum_id,
        age_band,
        sex,
        ethnicity_group_5,
        ethnicity_group_16,
        imd_decile,
        imd_quintile,
        is_core20
    from {{ ref('int_indicators__strata') }}

),

-- counted on the outcomes' own integer keys; the practice code and the stratum's labels are joined to the (far
-- fewer) counted rows
counts_by_organization as (

    select
        indicator_id,
        period_end,
        is_qof_year_end,
        organization_id,
        stratum_id,
        sum(case when in_denominator then 1 else 0 end) as n_denominator,
        sum(case when in_denominator and in_numerator then 1 else 0 end) as n_numerator,
        sum(case when in_denominator then 0 else 1 end) as n_excluded,
        sum(case when in_denominator then value end) as sum_value,
        sum(case when in_denominator then value * value end) as sum_value_squared
    from outcomes
    group by
        indicator_id,
        period_end,
        is_qof_year_end,
        organization_id,
        stratum_id

),

stratified_counts as (

    select
        counts_by_organization.indicator_id,
        counts_by_organization.period_end,
        counts_by_organization.is_qof_year_end,
        practices.practice_code,
        strata.age_band,
        strata.sex,
        strata.ethnicity_group_5,
        strata.ethnicity_group_16,
        strata.imd_decile,
        strata.imd_quintile,
        strata.is_core20,
        counts_by_organization.n_denominator,
        counts_by_organization.n_numerator,
        counts_by_organization.n_excluded,
        counts_by_organization.sum_value,
        counts_by_organization.sum_value_squared
    from counts_by_organization
    inner join strata
        on counts_by_organization.stratum_id = strata.stratum_id
    left join practices
        on counts_by_organization.organization_id = practices.organization_id

)

select * from stratified_counts
