-- Every person registered (GMS) at each indicator period end, one row per (person, period end), stratified once: the
-- population every indicator's denominator is drawn from, carrying the stratum (stratum_id, int_indicators__strata:
-- age band, sex, ethnic category, IMD decile) the rate marts break down by, so no later model joins a person-period
-- to ethnicity, address or age band again. Registered = a usable registration
-- period covers the date (macro is_registered_on; periods already end at deregistration, the next registration or
-- death). Ages are completed months and years at the period end (macros age_in_months, age_in_years);
-- registration_date is the start of the covering period (QOF's "registered in the last 9 months" rules). The
-- stratifiers follow int_demographics__persons_at_date's rules at each period end: ESP 2013 five-year age band; the
-- latest usable ethnicity code on or before the date (ties: the higher observation id; none = 'Not recorded'); the
-- address period covering the date for LSOA and IMD 2019 (NULL when none or its LSOA was quarantined).
-- How: each person's life is cut into status intervals at every date their registration, ethnicity or address can
-- change; the period ends then take everything from the one interval covering them. Narrow on purpose (175M rows at
-- NEL, and every denominator copies its columns): sex and deprivation live in the stratum, the LSOA in
-- int_demographics__address_periods, the period flags in int_calendar__indicator_periods.
with

periods as (

    select period_end
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
        categories.nhs16_code
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
        imd_decile
    from {{ ref('int_demographics__address_periods') }}

),

age_bands as (

    select distinct
        age_band_number,
        age_lower,
        age_upper
    from {{ ref('int_indicators__strata') }}

),

person_strata as (

    select distinct
        person_stratum_id,
        sex,
        coalesce(ethnicity_nhs16_code, '-') as ethnicity_key,
        coalesce(imd_decile, 0) as deprivation_key
    from {{ ref('int_indicators__strata') }}

),

-- The dates on which any of a person's registration, ethnicity or address can change: between two consecutive ones
-- all three are constant, so each person-period takes its state from the one interval covering it (an equi-join on
-- the person and a range on a few rows per person, not range joins over every person-period).
boundaries as (

    select
        person_id,
        period_start as boundary_date
    from registrations
    union
    select
        person_id,
        period_end as boundary_date
    from registrations
    where period_end is not null
    union
    select
        person_id,
        valid_from as boundary_date
    from latest_ethnicity
    union
    select
        person_id,
        period_start as boundary_date
    from addresses
    union
    select
        person_id,
        period_end as boundary_date
    from addresses
    where period_end is not null

),

elementary_intervals as (

    select
        person_id,
        boundary_date as valid_from,
        lead(boundary_date) over (partition by person_id order by boundary_date) as valid_to
    from boundaries

),

-- Registered stretches of a person's life with constant registration, ethnicity and address.
status_intervals as (

    select
        elementary_intervals.person_id,
        elementary_intervals.valid_from,
        cast(coalesce(elementary_intervals.valid_to, cast('9999-12-31' as date)) as date) as valid_to,
        registrations.organization_id,
        registrations.period_start as registration_date,
        patients.date_of_birth,
        person_strata.person_stratum_id
    from elementary_intervals
    inner join registrations
        on
            elementary_intervals.person_id = registrations.person_id
            and {{ is_registered_on('registrations', 'elementary_intervals.valid_from') }}
    inner join patients
        on registrations.patient_id = patients.patient_id
    left join latest_ethnicity
        on
            elementary_intervals.person_id = latest_ethnicity.person_id
            and {{ interval_covers('latest_ethnicity', 'elementary_intervals.valid_from') }}
    left join addresses
        on
            elementary_intervals.person_id = addresses.person_id
            and {{ period_covers('addresses', 'elementary_intervals.valid_from') }}
    left join person_strata
        on
            patients.sex = person_strata.sex
            and coalesce(latest_ethnicity.nhs16_code, '-') = person_strata.ethnicity_key
            and coalesce(addresses.imd_decile, 0) = person_strata.deprivation_key

),

aged_population as (

    select
        status_intervals.person_id,
        periods.period_end,
        status_intervals.organization_id,
        status_intervals.registration_date,
        status_intervals.date_of_birth,
        cast(
            {{ age_in_months('status_intervals.date_of_birth', 'periods.period_end') }} as {{ dbt.type_int() }}
        ) as age_months,
        cast(
            {{ age_in_years('status_intervals.date_of_birth', 'periods.period_end') }} as {{ dbt.type_int() }}
        ) as age_years,
        status_intervals.person_stratum_id
    from status_intervals
    inner join periods
        on
            status_intervals.valid_from <= periods.period_end
            and status_intervals.valid_to > periods.period_end
    where status_intervals.date_of_birth <= periods.period_end

),

-- Every whole age from 0 to 120 with its ESP band, so the person-periods take their band by an equi-join (ages above
-- 120 take 120's band, the open-ended 90+). The ages come from literals, not from the person-periods: a second read
-- of those would make the engine materialise all of them first.
ages as (

    select 0 as age_years
    {% for age in range(1, 121) %}
    union all
    select {{ age }} as age_years
    {% endfor %}

),

age_band_of_age as (

    select
        ages.age_years,
        age_bands.age_band_number
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
        aged_population.organization_id,
        aged_population.registration_date,
        aged_population.date_of_birth,
        aged_population.age_months,
        aged_population.age_years,
        cast(
            {{ stratum_id('aged_population.person_stratum_id', 'age_band_of_age.age_band_number') }}
            as {{ dbt.type_int() }}
        ) as stratum_id
    from aged_population
    left join age_band_of_age
        on least(aged_population.age_years, 120) = age_band_of_age.age_years

)

select * from registered_population
