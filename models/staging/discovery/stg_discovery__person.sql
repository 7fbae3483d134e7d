-- Discovery person, one row per id. A delete row (is_delete, only the key filled) removes itself and every row
-- with its id, and exact duplicate rows are collapsed (stg_discovery__removed_rows lists what goes). Every other
-- row is kept; dq_reason is 'test_patient' (quarantined; macro dq_rules) when the record carries a first name or
-- surname: this is a pseudonymised feed, so only test and dummy records (TEST PATIENT, XXTEST...) have one.
with

staged_rows as (

    {{ discovery_staged_rows(source('discovery', 'person')) }}

),

typed_rows as (

    select
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(organization_id as {{ dbt.type_bigint() }}) as organization_id,
        cast(gender_concept_id as {{ dbt.type_int() }}) as gender_concept_id,
        cast(date_of_death as date) as date_of_death,
        cast(current_address_id as {{ dbt.type_bigint() }}) as current_address_id,
        cast(ethnic_code_concept_id as {{ dbt.type_int() }}) as ethnic_code_concept_id,
        cast(registered_practice_organization_id as {{ dbt.type_bigint() }}) as registered_practice_organization_id,
        cast(birth_year as smallint) as birth_year,
        cast(birth_month as tinyint) as birth_month,
        cast(has_first_names as {{ dbt.type_boolean() }}) as has_first_names,
        cast(has_last_name as {{ dbt.type_boolean() }}) as has_last_name
    from staged_rows

),

checked_rows as (

    select
        *,
        {{ dq_test_patient_reason() }} as dq_reason
    from typed_rows

)

select * from checked_rows
