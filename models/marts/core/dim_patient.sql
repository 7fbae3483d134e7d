-- One row per person with a usable GMS registration on or before the as-of date, as known on that date
-- (int_demographics__persons_at_date has the rules). Pseudonymous: the key is a salted hash (macro patient_key),
-- birth is year and month only, and no name, NHS number, address or postcode is carried.
with

persons as (

    select * from {{ ref('int_demographics__persons_at_date') }}

),

practices as (

    select
        id as organization_id,
        ods_code as practice_code
    from {{ ref('stg_discovery__organization') }}

),

superseded_persons as (

    select distinct person_id
    from {{ ref('int_data_quality__episode_of_care_checks') }}

),

patients as (

    select
        cast({{ patient_key('persons.person_id') }} as {{ dbt.type_string() }}) as patient_key,
        cast(current_practices.practice_code as {{ dbt.type_string() }}) as practice_code,
        cast(last_practices.practice_code as {{ dbt.type_string() }}) as last_practice_code,
        persons.is_registered,
        cast(persons.sex as {{ dbt.type_string() }}) as sex,
        cast(persons.birth_year as {{ dbt.type_int() }}) as birth_year,
        cast(persons.birth_month as {{ dbt.type_int() }}) as birth_month,
        cast(persons.age_years as {{ dbt.type_int() }}) as age_years,
        cast(persons.ethnicity_nhs16_code as {{ dbt.type_string() }}) as ethnicity_nhs16_code,
        cast(persons.ethnicity_group_16 as {{ dbt.type_string() }}) as ethnicity_group_16,
        cast(persons.ethnicity_group_5 as {{ dbt.type_string() }}) as ethnicity_group_5,
        cast(persons.ethnicity_status as {{ dbt.type_string() }}) as ethnicity_status,
        cast(persons.lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(persons.lsoa_status as {{ dbt.type_string() }}) as lsoa_status,
        cast(persons.imd_decile as {{ dbt.type_int() }}) as imd_decile,
        cast(persons.imd_quintile as {{ dbt.type_int() }}) as imd_quintile,
        cast(persons.nel_imd_quintile as {{ dbt.type_int() }}) as nel_imd_quintile,
        persons.is_core20,
        persons.is_nel_resident,
        persons.first_registration_date,
        persons.registration_date,
        persons.registration_end_date,
        persons.date_of_death,
        persons.has_conflicting_ethnicity_codes,
        superseded_persons.person_id is not null as has_overlapping_registrations,
        persons.reporting_date as as_of_date
    from persons
    left join practices as current_practices
        on persons.organization_id = current_practices.organization_id
    left join practices as last_practices
        on persons.last_organization_id = last_practices.organization_id
    left join superseded_persons
        on persons.person_id = superseded_persons.person_id

)

select * from patients
