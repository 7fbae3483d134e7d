-- Every person's registered (GMS) stretches of life as status intervals, one row per (person, valid_from): the
-- population every indicator's denominator is drawn from, stored once and small (8M rows at NEL, against 175M
-- person-period rows). Each interval [valid_from, valid_to) has one practice, registration, birth date, sex,
-- ethnicity and address, so one person stratum (person_stratum_id of int_indicators__strata: sex, ethnic category,
-- IMD decile); the age part of the stratum changes with the date and is added when a denominator expands its
-- intervals to the period ends (macro population_at_period_ends), so no person-period is stored here.
-- Registered = a usable registration period covers the date (macro is_registered_on; periods already end at
-- deregistration, the next registration or death); registration_date is the start of that period (QOF's
-- "registered in the last N months" rules). The stratifiers follow int_demographics__persons_at_date's rules: the
-- latest usable ethnicity code on or before the date (ties: the higher observation id; none = 'Not recorded'); the
-- address period covering the date for IMD 2019 (NULL when none or its LSOA was quarantined).
-- How: each person's life is cut at every date their registration, ethnicity or address can change; between two
-- consecutive ones all three are constant. valid_to is 9999-12-31 for the open last interval.
with

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
        {{ birth_month_start('patients.birth_year', 'patients.birth_month') }} as birth_month_start,
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
        patients.birth_month_start,
        patients.sex,
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

)

select * from status_intervals
