-- Usable observations coded in a codelist (seed ref_codelist_codes), one row per (observation, codelist): the coded
-- clinical events every indicator starts from. Usable: the staging dq_reason leaves the row usable (macro
-- dq_row_is_usable: no reason, or a corrected or flagged one such as hba1c_dcct or partial_date_year) and
-- int_data_quality__observation_checks has no quarantining row for it (macro dq_usable_observations). Matching
-- (macro codelist_matches): the core code or the code as recorded equals a codelist code exactly (Read2/CTV3 codes
-- are case-sensitive); when both match, matched_on says 'core_code'. Only the columns readers use (50M rows at NEL:
-- each column more is a write); the rest of an observation is one join away, on observation_id.
-- Only the codelists an indicator declares (seed ref_indicators, codelist_ids) are matched: the seed holds more
-- (the GM SDE legacy sets) that no model reads, and at NEL they were over half of the 107M rows.
-- The usable observations go to the matching as a subquery, not a CTE: the matching reads them twice, and DuckDB
-- would first write a CTE read twice (50M rows at NEL) to memory or disk.
{%- set usable_observations = dq_usable_observations([
    'id', 'organization_id', 'patient_id', 'person_id', 'clinical_effective_date', 'result_value',
    'result_value_units', 'parent_observation_id', 'code', 'code_scheme', 'original_code', 'original_code_scheme',
    'dq_reason'
]) %}
with

indicators as (

    select codelist_ids
    from {{ ref('ref_indicators') }}

),

codelist_codes_in_use as (

    select distinct codelist_codes.*
    from {{ ref('ref_codelist_codes') }} as codelist_codes
    inner join indicators
        on {{ dbt.position(
            dbt.concat(["';'", 'codelist_codes.codelist_id', "';'"]),
            dbt.concat(["';'", 'indicators.codelist_ids', "';'"])
        ) }} > 0

),

matched_observations as (

    {{ codelist_matches('(' ~ usable_observations ~ ')', 'codelist_codes_in_use') }}

),

coded_events as (

    select
        id as observation_id,
        person_id,
        patient_id,
        organization_id,
        clinical_effective_date,
        codelist_id,
        matched_on,
        matched_code,
        result_value,
        result_value_units,
        parent_observation_id,
        dq_reason
    from matched_observations

)

select * from coded_events
