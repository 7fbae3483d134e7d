-- Discovery episode_of_care, one row per id. Deletes and duplicates get a thin first treatment here: a delete
-- row (is_delete, only the key filled) removes itself and every row with its id, and exact duplicate rows
-- are collapsed. Conflicting versions of a record are not resolved (the id tests catch them); quarantine
-- and raw-to-staged reconciliation come with a later issue.
with

kept_rows as (

    {{ discovery_kept_rows(source('discovery', 'episode_of_care')) }}

),

typed_rows as (

    select distinct
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(organization_id as {{ dbt.type_bigint() }}) as organization_id,
        cast(patient_id as {{ dbt.type_bigint() }}) as patient_id,
        cast(person_id as {{ dbt.type_bigint() }}) as person_id,
        cast(registration_type_concept_id as {{ dbt.type_int() }}) as registration_type_concept_id,
        cast(registration_status_concept_id as {{ dbt.type_int() }}) as registration_status_concept_id,
        cast(date_registered as date) as date_registered,
        cast(date_registered_end as date) as date_registered_end,
        cast(usual_gp_practitioner_id as {{ dbt.type_bigint() }}) as usual_gp_practitioner_id
    from kept_rows

)

select * from typed_rows
