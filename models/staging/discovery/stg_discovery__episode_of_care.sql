-- Discovery episode_of_care, one row per id. A delete row (is_delete, only the key filled) removes itself and
-- every row with its id, and exact duplicate rows are collapsed (stg_discovery__removed_rows lists what goes).
-- Every other row is kept; dq_reason flags registrations that are not on a GMS list (macro dq_rules), decoded
-- through concept ids, all quarantined: pre_registration (status FHIR_RS_PR1-PR3 or type FHIR_RT_PR),
-- temporary_registration (FHIR_RT_T), dummy_registration (FHIR_RT_D), non_gms_registration (any other type but
-- FHIR_RT_R, or none); the first met, in that order, wins. Overlapping GMS episodes need the person's other
-- episodes: int_data_quality__episode_of_care_checks.
with

staged_rows as (

    {{ discovery_staged_rows(source('discovery', 'episode_of_care')) }}

),

typed_rows as (

    select
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(organization_id as {{ dbt.type_bigint() }}) as organization_id,
        cast(patient_id as {{ dbt.type_bigint() }}) as patient_id,
        cast(person_id as {{ dbt.type_bigint() }}) as person_id,
        cast(registration_type_concept_id as {{ dbt.type_int() }}) as registration_type_concept_id,
        cast(registration_status_concept_id as {{ dbt.type_int() }}) as registration_status_concept_id,
        cast(date_registered as date) as date_registered,
        cast(date_registered_end as date) as date_registered_end,
        cast(usual_gp_practitioner_id as {{ dbt.type_bigint() }}) as usual_gp_practitioner_id
    from staged_rows

),

concepts as (

    select
        dbid,
        id
    from {{ ref('stg_discovery__concept') }}

),

checked_rows as (

    select
        typed_rows.*,
        case
            when
                registration_statuses.id in ('FHIR_RS_PR1', 'FHIR_RS_PR2', 'FHIR_RS_PR3')
                or registration_types.id = 'FHIR_RT_PR'
                then 'pre_registration'
            when registration_types.id = 'FHIR_RT_T'
                then 'temporary_registration'
            when registration_types.id = 'FHIR_RT_D'
                then 'dummy_registration'
            when registration_types.id is null or registration_types.id != 'FHIR_RT_R'
                then 'non_gms_registration'
        end as dq_reason
    from typed_rows
    left join concepts as registration_types
        on typed_rows.registration_type_concept_id = registration_types.dbid
    left join concepts as registration_statuses
        on typed_rows.registration_status_concept_id = registration_statuses.dbid

)

select * from checked_rows
