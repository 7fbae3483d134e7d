-- Discovery medication_statement, one row per id. A delete row (is_delete, only the key filled) removes
-- itself and every row with its id, and exact duplicate rows are collapsed; stg_discovery__removed_rows lists the
-- rows that go, and fct_dq_reconciliation checks that nothing else is lost. No row-level rule applies yet (no
-- dq_reason). Conflicting versions of a record are not resolved (the id tests catch them). Codes are decoded
-- (macro discovery_decoded_codes): code / code_scheme is the core dm+d code (through concept_map when
-- core_concept_id is empty), original_code / original_code_scheme the code as recorded.
with

staged_rows as (

    {{ discovery_staged_rows(source('discovery', 'medication_statement')) }}

),

typed_rows as (

    select
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(organization_id as {{ dbt.type_bigint() }}) as organization_id,
        cast(patient_id as {{ dbt.type_bigint() }}) as patient_id,
        cast(person_id as {{ dbt.type_bigint() }}) as person_id,
        cast(encounter_id as {{ dbt.type_bigint() }}) as encounter_id,
        cast(practitioner_id as {{ dbt.type_bigint() }}) as practitioner_id,
        cast(clinical_effective_date as date) as clinical_effective_date,
        cast(date_precision_concept_id as {{ dbt.type_int() }}) as date_precision_concept_id,
        cast(cancellation_date as date) as cancellation_date,
        cast(dose as {{ dbt.type_string() }}) as dose,
        cast(quantity_value as {{ dbt.type_float() }}) as quantity_value,
        cast(quantity_unit as {{ dbt.type_string() }}) as quantity_unit,
        cast(authorisation_type_concept_id as {{ dbt.type_int() }}) as authorisation_type_concept_id,
        cast(core_concept_id as {{ dbt.type_int() }}) as core_concept_id,
        cast(non_core_concept_id as {{ dbt.type_int() }}) as non_core_concept_id,
        cast(bnf_reference as {{ dbt.type_string() }}) as bnf_reference,
        cast(age_at_event as decimal(5, 2)) as age_at_event,
        cast(issue_method as {{ dbt.type_string() }}) as issue_method
    from staged_rows

),

decoded_rows as (

    {{ discovery_decoded_codes('typed_rows') }}

)

select * from decoded_rows
