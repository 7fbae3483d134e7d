-- Discovery observation, one row per id. A delete row (is_delete, only the key filled) removes itself and every
-- row with its id, and exact duplicate rows are collapsed (stg_discovery__removed_rows lists what goes). Every
-- other row is kept; dq_reason flags the ones a rule on the row itself finds (macro dq_rules for the catalogue):
-- quarantined future_dated, bp_systolic_implausible, bp_diastolic_implausible; corrected hba1c_dcct; flagged
-- partial_date_year, partial_date_month. The first rule met, in that order, wins. Rules that need other rows
-- (before birth, after death, orphan diastolic) are in int_data_quality__observation_checks.
-- Codes are decoded (macro discovery_decoded_codes): code / code_scheme is the core SNOMED code (through concept_map
-- when core_concept_id is empty), original_code / original_code_scheme the code as recorded. Only the columns models
-- read are staged (data minimisation, and each column of 50M rows, 250M with background codes, is a write): the
-- encounter, practitioner, problem, concept id and audit fields stay in the raw extract; stage one when a model
-- needs it.
with

staged_rows as (

    {{ discovery_staged_rows(source('discovery', 'observation'), only_repeated_keys=true) }}

),

typed_rows as (

    select
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(organization_id as {{ dbt.type_bigint() }}) as organization_id,
        cast(patient_id as {{ dbt.type_bigint() }}) as patient_id,
        cast(person_id as {{ dbt.type_bigint() }}) as person_id,
        cast(clinical_effective_date as date) as clinical_effective_date,
        cast(date_precision_concept_id as {{ dbt.type_int() }}) as date_precision_concept_id,
        cast(result_value as {{ dbt.type_float() }}) as result_value,
        cast(result_value_units as {{ dbt.type_string() }}) as result_value_units,
        cast(parent_observation_id as {{ dbt.type_bigint() }}) as parent_observation_id,
        cast(core_concept_id as {{ dbt.type_int() }}) as core_concept_id,
        cast(non_core_concept_id as {{ dbt.type_int() }}) as non_core_concept_id
    from staged_rows

),

decoded_rows as (

    {{ discovery_decoded_codes('typed_rows') }}

),

date_precisions as (

    select
        dbid,
        id
    from {{ ref('stg_discovery__concept') }}
    where id like 'DS_DATE_PREC_%'

),

measure_codes as (

    {{ dq_measure_codes() }}

),

checked_rows as (

    select
        decoded_rows.*,
        case
            when decoded_rows.clinical_effective_date > {{ discovery_extract_end_date() }}
                then 'future_dated'
            when measure_codes.measure = 'systolic_bp' and decoded_rows.result_value not between 40 and 350
                then 'bp_systolic_implausible'
            when measure_codes.measure = 'diastolic_bp' and decoded_rows.result_value not between 20 and 200
                then 'bp_diastolic_implausible'
            when
                measure_codes.measure = 'hba1c'
                and decoded_rows.result_value < 20
                and coalesce(lower(decoded_rows.result_value_units), '') not like '%mmol%'
                then 'hba1c_dcct'
            when date_precisions.id = 'DS_DATE_PREC_year'
                then 'partial_date_year'
            when date_precisions.id = 'DS_DATE_PREC_month'
                then 'partial_date_month'
        end as dq_reason
    from decoded_rows
    left join measure_codes
        on
            decoded_rows.code = measure_codes.code
            and decoded_rows.code_scheme = 'snomed'
    left join date_precisions
        on decoded_rows.date_precision_concept_id = date_precisions.dbid

),

staged_observations as (

    select
        id,
        organization_id,
        patient_id,
        person_id,
        clinical_effective_date,
        result_value,
        result_value_units,
        parent_observation_id,
        code,
        code_scheme,
        original_code,
        original_code_scheme,
        dq_reason
    from checked_rows

)

select * from staged_observations
