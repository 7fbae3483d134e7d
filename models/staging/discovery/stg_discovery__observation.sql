-- Discovery observation, one row per id. Deletes and duplicates get a thin first treatment here: a delete
-- row (is_delete, only the key filled) removes itself and every row with its id, and exact duplicate rows
-- are collapsed. Conflicting versions of a record are not resolved (the id tests catch them); quarantine
-- and raw-to-staged reconciliation come with a later issue.
with

kept_rows as (

    {{ discovery_kept_rows(source('discovery', 'observation')) }}

),

typed_rows as (

    select distinct
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(organization_id as {{ dbt.type_bigint() }}) as organization_id,
        cast(patient_id as {{ dbt.type_bigint() }}) as patient_id,
        cast(person_id as {{ dbt.type_bigint() }}) as person_id,
        cast(encounter_id as {{ dbt.type_bigint() }}) as encounter_id,
        cast(practitioner_id as {{ dbt.type_bigint() }}) as practitioner_id,
        cast(clinical_effective_date as date) as clinical_effective_date,
        cast(date_precision_concept_id as {{ dbt.type_int() }}) as date_precision_concept_id,
        cast(result_value as {{ dbt.type_float() }}) as result_value,
        cast(result_value_units as {{ dbt.type_string() }}) as result_value_units,
        cast(result_date as date) as result_date,
        cast(result_text as {{ dbt.type_string() }}) as result_text,
        cast(result_concept_id as {{ dbt.type_int() }}) as result_concept_id,
        cast(is_problem as {{ dbt.type_boolean() }}) as is_problem,
        cast(is_review as {{ dbt.type_boolean() }}) as is_review,
        cast(problem_end_date as date) as problem_end_date,
        cast(parent_observation_id as {{ dbt.type_bigint() }}) as parent_observation_id,
        cast(core_concept_id as {{ dbt.type_int() }}) as core_concept_id,
        cast(non_core_concept_id as {{ dbt.type_int() }}) as non_core_concept_id,
        cast(age_at_event as decimal(5, 2)) as age_at_event,
        cast(episodicity_concept_id as {{ dbt.type_int() }}) as episodicity_concept_id,
        cast(is_primary as {{ dbt.type_boolean() }}) as is_primary,
        cast(date_recorded as {{ dbt.type_timestamp() }}) as date_recorded
    from kept_rows

)

select * from typed_rows
