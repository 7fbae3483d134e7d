-- Every person registered (GMS) at each indicator period end, one row per (person, period end), stratified once: the
-- population every indicator's denominator is drawn from, carrying every stratifier the rate marts break down by, so
-- no later model joins a person-period to ethnicity, address or age band again. Registered = a usable registration
-- period covers the date (macro is_registered_on; periods already end at deregistration, the next registration or
-- death). Ages are completed months and years at the period end (macros age_in_months, age_in_years);
-- registration_date is the start of the covering period (QOF's "registered in the last 9 months" rules). The
-- stratifiers follow int_demographics__persons_at_date's rules at each period end: ESP 2013 five-year age band; the
-- latest usable ethnicity code on or before the date (ties: the higher observation id; none = 'Not recorded'); the
-- address period covering the date for LSOA and IMD 2019 (NULL when none or its LSOA was quarantined).
with

periods as (

    select
        period_end,
        is_qof_year_end,
        is_in_monthly_series
    from {{ ref('int_calendar__indicator_periods') }}

),

registrations as (

    select
        person_id,
        patient_id,
        organization_id,
        period_start,
        period_end
    from {{ ref('int_registrations__gms_registration_periods') }}
    where period_end is null or period_end > period_start

),

patients as (

    select
        patients.id as patient_id,
        patients.date_of_birth,
        {{ sex_from_gender_concept('genders.id') }} as sex
    from {{ ref('stg_discovery__patient') }} as patients
    left join {{ ref('stg_discovery__concept') }} as genders
        on patients.gender_concept_id = genders.dbid

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
        imd_decile,
        imd_quintile,
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

registered_at_period_end as (

    select
        registrations.person_id,
        periods.period_end,
        periods.is_qof_year_end,
        periods.is_in_monthly_series,
        registrations.patient_id,
        registrations.organization_id,
        registrations.period_start as registration_date
    from registrations
    inner join periods
        on {{ is_registered_on('registrations', 'periods.period_end') }}

),

aged_population as (

    select
        registered_at_period_end.*,
        patients.sex,
        patients.date_of_birth,
        cast(
            {{ age_in_months('patients.date_of_birth', 'registered_at_period_end.period_end') }} as {{ dbt.type_int() }}
        ) as age_months,
        cast(
            {{ age_in_years('patients.date_of_birth', 'registered_at_period_end.period_end') }} as {{ dbt.type_int() }}
        ) as age_years
    from registered_at_period_end
    inner join patients
        on registered_at_period_end.patient_id = patients.patient_id
    where patients.date_of_birth <= registered_at_period_end.period_end

),

ages as (

    select distinct age_years
    from aged_population

),

-- Each age in the population with its band: a range join over the few distinct ages, so the person-periods then
-- take their band by an equi-join.
age_band_of_age as (

    select
        ages.age_years,
        age_bands.age_band
    from ages
    inner join age_bands
        on
            ages.age_years >= age_bands.age_lower
            and (age_bands.age_upper is null or ages.age_years <= age_bands.age_upper)

),

registered_population as (

    select
        aged_population.person_id,
        aged_population.period_end,
        aged_population.is_qof_year_end,
        aged_population.is_in_monthly_series,
        aged_population.patient_id,
        aged_population.organization_id,
        aged_population.registration_date,
        aged_population.sex,
        aged_population.date_of_birth,
        aged_population.age_months,
        aged_population.age_years,
        cast(age_band_of_age.age_band as {{ dbt.type_string() }}) as age_band,
        cast(coalesce(latest_ethnicity.ethnicity_group_5, 'Not recorded') as {{ dbt.type_string() }})
            as ethnicity_group_5,
        cast(coalesce(latest_ethnicity.nhs16_label, 'Not recorded') as {{ dbt.type_string() }}) as ethnicity_group_16,
        cast(addresses.imd_decile as {{ dbt.type_int() }}) as imd_decile,
        cast(addresses.imd_quintile as {{ dbt.type_int() }}) as imd_quintile,
        addresses.is_core20,
        cast(addresses.lsoa_code as {{ dbt.type_string() }}) as lsoa_code
    from aged_population
    left join age_band_of_age
        on aged_population.age_years = age_band_of_age.age_years
    left join latest_ethnicity
        on
            aged_population.person_id = latest_ethnicity.person_id
            and {{ interval_covers('latest_ethnicity', 'aged_population.period_end') }}
    left join addresses
        on
            aged_population.person_id = addresses.person_id
            and addresses.period_start <= aged_population.period_end
            and (addresses.period_end is null or addresses.period_end > aged_population.period_end)

)

select * from registered_population
