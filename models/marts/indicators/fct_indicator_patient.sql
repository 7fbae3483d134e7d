-- One row per (indicator, period end, patient) in the indicator's denominator population: whether the patient counts
-- in the denominator and the numerator, why not (exclusion_reason), the value of mean indicators, and the patient's
-- stratifiers at the period end. The stratifiers follow int_demographics__persons_at_date's rules, evaluated at each
-- period end: age in 5-year bands of the European Standard Population 2013; the latest usable ethnicity code on or
-- before the date (ties: the higher observation id; none = 'Not recorded'); the address period covering the date
-- for LSOA and IMD 2019 (NULL when none or its LSOA was quarantined). Pseudonymous: patient_key only.
with

outcomes as (

    select * from {{ ref('int_indicators__patient_outcomes') }}

),

indicators as (

    select
        indicator_id,
        value_type
    from {{ ref('ref_indicators') }}

),

periods as (

    select
        period_end,
        is_qof_year_end
    from {{ ref('int_calendar__indicator_periods') }}

),

practices as (

    select
        id as organization_id,
        ods_code as practice_code
    from {{ ref('stg_discovery__organization') }}

),

ethnicity_records as (

    select
        records.person_id,
        records.observation_id,
        records.clinical_effective_date,
        categories.nhs16_label,
        categories.ethnicity_group_5
    from {{ ref('int_demographics__ethnicity_records') }} as records
    inner join {{ ref('ref_nhs_ethnic_category') }} as categories
        on records.nhs16_code = categories.nhs16_code

),

latest_ethnicity as (

    {{ validity_intervals('ethnicity_records', 'person_id', 'clinical_effective_date', 'observation_id') }}

),

addresses as (

    select
        person_id,
        period_start,
        period_end,
        lsoa_code,
        imd_2019_decile,
        imd_2019_quintile,
        is_core20
    from {{ ref('int_demographics__address_periods') }}

),

age_bands as (

    select
        age_band,
        age_lower,
        age_upper
    from {{ ref('ref_esp2013') }}

),

indicator_patients as (

    select
        cast(outcomes.indicator_id as {{ dbt.type_string() }}) as indicator_id,
        outcomes.period_end,
        periods.is_qof_year_end,
        cast({{ patient_key('outcomes.person_id') }} as {{ dbt.type_string() }}) as patient_key,
        cast(practices.practice_code as {{ dbt.type_string() }}) as practice_code,
        outcomes.in_denominator,
        outcomes.in_numerator,
        cast(outcomes.exclusion_reason as {{ dbt.type_string() }}) as exclusion_reason,
        cast(case when indicators.value_type = 'mean' then outcomes.value end as {{ type_double() }}) as value,
        cast(outcomes.age_years as {{ dbt.type_int() }}) as age_years,
        cast(age_bands.age_band as {{ dbt.type_string() }}) as age_band,
        cast(outcomes.sex as {{ dbt.type_string() }}) as sex,
        cast(coalesce(latest_ethnicity.ethnicity_group_5, 'Not recorded') as {{ dbt.type_string() }})
            as ethnicity_group_5,
        cast(coalesce(latest_ethnicity.nhs16_label, 'Not recorded') as {{ dbt.type_string() }}) as ethnicity_group_16,
        cast(addresses.imd_2019_decile as {{ dbt.type_int() }}) as imd_decile,
        cast(addresses.imd_2019_quintile as {{ dbt.type_int() }}) as imd_quintile,
        addresses.is_core20,
        cast(addresses.lsoa_code as {{ dbt.type_string() }}) as lsoa_code
    from outcomes
    inner join indicators
        on outcomes.indicator_id = indicators.indicator_id
    inner join periods
        on outcomes.period_end = periods.period_end
    left join practices
        on outcomes.organization_id = practices.organization_id
    left join age_bands
        on
            outcomes.age_years >= age_bands.age_lower
            and (age_bands.age_upper is null or outcomes.age_years <= age_bands.age_upper)
    left join latest_ethnicity
        on
            outcomes.person_id = latest_ethnicity.person_id
            and {{ interval_covers('latest_ethnicity', 'outcomes.period_end') }}
    left join addresses
        on
            outcomes.person_id = addresses.person_id
            and addresses.period_start <= outcomes.period_end
            and (addresses.period_end is null or addresses.period_end > outcomes.period_end)

)

select * from indicator_patients
