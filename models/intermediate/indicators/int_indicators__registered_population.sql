-- Every person registered (GMS) at each indicator period end, one row per (person, period end): the population every
-- indicator's denominator is drawn from. Registered = a usable registration period covers the date (macro
-- is_registered_on; periods already end at deregistration, the next registration or death). Ages are completed
-- months and years at the period end (macros age_in_months, age_in_years); registration_date is the start of the
-- covering period (QOF's "registered in the last 9 months" rules).
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

registered_population as (

    select
        registered_at_period_end.person_id,
        registered_at_period_end.period_end,
        registered_at_period_end.is_qof_year_end,
        registered_at_period_end.is_in_monthly_series,
        registered_at_period_end.patient_id,
        registered_at_period_end.organization_id,
        registered_at_period_end.registration_date,
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

)

select * from registered_population
