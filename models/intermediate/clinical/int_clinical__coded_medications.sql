-- Medication statements (prescribing authorisations) coded in a codelist (seed ref_codelist_codes, the dm+d lists),
-- one row per (medication statement, codelist). Staging has no row-level rule for this table (no dq_reason), so the
-- only rows left out are those dated after the last day the extract covers (macro discovery_extract_end_date), as
-- future-dated observations are quarantined; a row with no date is kept. Matching (macro codelist_matches): the core
-- code or the code as recorded equals a codelist code exactly; when both match, matched_on says 'core_code'.
with

medication_statements as (

    select
        id,
        organization_id,
        patient_id,
        person_id,
        clinical_effective_date,
        cancellation_date,
        quantity_value,
        quantity_unit,
        authorisation_type_concept_id,
        bnf_reference,
        code,
        code_scheme,
        original_code,
        original_code_scheme
    from {{ ref('stg_discovery__medication_statement') }}
    where
        clinical_effective_date is null
        or clinical_effective_date <= {{ discovery_extract_end_date() }}

),

matched_statements as (

    {{ codelist_matches('medication_statements') }}

),

coded_medications as (

    select
        id as medication_statement_id,
        person_id,
        patient_id,
        organization_id,
        clinical_effective_date,
        codelist_id,
        codelist_version,
        code,
        code_scheme,
        original_code,
        original_code_scheme,
        matched_on,
        cancellation_date,
        authorisation_type_concept_id,
        quantity_value,
        quantity_unit,
        bnf_reference
    from matched_statements

)

select * from coded_medications
