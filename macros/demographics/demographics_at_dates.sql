{#- A select of every person's demographics at each date of `reporting_dates` (a CTE or relation with a date
    column reporting_date), one row per person and date, for persons with a usable GMS registration period started
    on or before the date. The rules are documented on int_demographics__persons_at_date, the model that calls it.
    -#}
{% macro demographics_at_dates(reporting_dates) %}
with

    latest_started_periods as (

        select
            periods.*,
            reporting_dates.reporting_date,
            row_number() over (
                partition by periods.person_id, reporting_dates.reporting_date
                order by periods.period_start desc, periods.episode_of_care_id desc
            ) as start_rank,
            min(periods.period_start) over (
                partition by periods.person_id, reporting_dates.reporting_date
            ) as first_registration_date
        from {{ ref('int_registrations__gms_registration_periods') }} as periods
        cross join {{ reporting_dates }} as reporting_dates
        where
            periods.period_start <= reporting_dates.reporting_date
            and (periods.period_end is null or periods.period_end > periods.period_start)

    ),

    registrations as (

        select
            person_id,
            patient_id,
            organization_id,
            reporting_date,
            period_start as registration_date,
            period_end as registration_end_date,
            first_registration_date,
            {{ is_registered_on('latest_started_periods', 'reporting_date') }} as is_registered
        from latest_started_periods
        where start_rank = 1

    ),

    patients as (

        select
            patients.id as patient_id,
            {{ birth_month_start('patients.birth_year', 'patients.birth_month') }} as birth_month_start,
            patients.birth_year,
            patients.birth_month,
            patients.date_of_death,
            {{ sex_from_gender_concept('genders.id') }} as sex
        from {{ ref('stg_discovery__patient') }} as patients
        left join {{ ref('stg_discovery__concept') }} as genders
            on patients.gender_concept_id = genders.dbid

    ),

    ranked_ethnicity_records as (

        select
            records.person_id,
            records.nhs16_code,
            records.clinical_effective_date,
            reporting_dates.reporting_date,
            row_number() over (
                partition by records.person_id, reporting_dates.reporting_date
                order by records.clinical_effective_date desc, records.observation_id desc
            ) as recency_rank,
            count(distinct case when records.nhs16_code != 'Z' then records.nhs16_code end)
                over (
                    partition by records.person_id, reporting_dates.reporting_date
                ) as n_stated_categories
        from {{ ref('int_demographics__ethnicity_records') }} as records
        cross join {{ reporting_dates }} as reporting_dates
        where records.clinical_effective_date <= reporting_dates.reporting_date

    ),

    latest_ethnicity as (

        select
            ranked_ethnicity_records.person_id,
            ranked_ethnicity_records.reporting_date,
            ranked_ethnicity_records.nhs16_code,
            ranked_ethnicity_records.clinical_effective_date as ethnicity_recorded_date,
            ranked_ethnicity_records.n_stated_categories > 1 as has_conflicting_ethnicity_codes,
            categories.nhs16_label,
            categories.ethnicity_group_5
        from ranked_ethnicity_records
        inner join {{ ref('ref_nhs_ethnic_category') }} as categories
            on ranked_ethnicity_records.nhs16_code = categories.nhs16_code
        where ranked_ethnicity_records.recency_rank = 1

    ),

    current_addresses as (

        select
            addresses.*,
            reporting_dates.reporting_date
        from {{ ref('int_demographics__address_periods') }} as addresses
        cross join {{ reporting_dates }} as reporting_dates
        where {{ period_covers('addresses', 'reporting_dates.reporting_date') }}

    ),

    persons_at_date as (

        select
            registrations.person_id,
            registrations.reporting_date,
            registrations.is_registered,
            case when registrations.is_registered then registrations.organization_id end as organization_id,
            registrations.organization_id as last_organization_id,
            registrations.patient_id,
            registrations.registration_date,
            registrations.registration_end_date,
            registrations.first_registration_date,
            case when patients.date_of_death <= registrations.reporting_date then patients.date_of_death end as date_of_death,
            patients.sex,
            patients.birth_month_start,
            patients.birth_year,
            patients.birth_month,
            case
                when patients.birth_month_start <= registrations.reporting_date
                    then cast({{ age_in_years('patients.birth_month_start', 'registrations.reporting_date') }} as {{ dbt.type_int() }})
            end as age_years,
            latest_ethnicity.nhs16_code as ethnicity_nhs16_code,
            coalesce(latest_ethnicity.nhs16_label, 'Not recorded') as ethnicity_group_16,
            coalesce(latest_ethnicity.ethnicity_group_5, 'Not recorded') as ethnicity_group_5,
            {{ ethnicity_status('latest_ethnicity.nhs16_code') }} as ethnicity_status,
            latest_ethnicity.ethnicity_recorded_date,
            coalesce(latest_ethnicity.has_conflicting_ethnicity_codes, false) as has_conflicting_ethnicity_codes,
            current_addresses.lsoa_code,
            case
                when current_addresses.address_id is null then 'no_address'
                when current_addresses.lsoa_code is null then current_addresses.lsoa_dq_reason
                else 'valid'
            end as lsoa_status,
            current_addresses.imd_score,
            current_addresses.imd_decile,
            current_addresses.imd_quintile,
            current_addresses.nel_imd_quintile,
            current_addresses.is_core20,
            current_addresses.is_nel as is_nel_resident
        from registrations
        left join patients
            on registrations.patient_id = patients.patient_id
        left join latest_ethnicity
            on
                registrations.person_id = latest_ethnicity.person_id
                and registrations.reporting_date = latest_ethnicity.reporting_date
        left join current_addresses
            on
                registrations.person_id = current_addresses.person_id
                and registrations.reporting_date = current_addresses.reporting_date

    )

    select * from persons_at_date
{% endmacro %}
