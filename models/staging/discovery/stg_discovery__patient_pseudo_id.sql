-- Discovery patient_pseudo_id, one row per id. A delete row (is_delete, only the key filled) removes
-- itself and every row with its id, and exact duplicate rows are collapsed; stg_discovery__removed_rows lists the
-- rows that go, and fct_dq_reconciliation checks that nothing else is lost. No row-level rule applies yet (no
-- dq_reason). Conflicting versions of a record are not resolved (the id tests catch them).
with

staged_rows as (

    {{ discovery_staged_rows(source('discovery', 'patient_pseudo_id')) }}

),

typed_rows as (

    select
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(organization_id as {{ dbt.type_bigint() }}) as organization_id,
        cast(patient_id as {{ dbt.type_bigint() }}) as patient_id,
        cast(person_id as {{ dbt.type_bigint() }}) as person_id,
        cast(salt_name as {{ dbt.type_string() }}) as salt_name,
        cast(skid as {{ dbt.type_string() }}) as skid,
        cast(is_nhs_number_valid as {{ dbt.type_boolean() }}) as is_nhs_number_valid,
        cast(is_nhs_number_verified_by_publisher as {{ dbt.type_boolean() }}) as is_nhs_number_verified_by_publisher
    from staged_rows

)

select * from typed_rows
