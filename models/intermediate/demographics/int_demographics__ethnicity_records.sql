-- Every usable ethnicity code in the record, one row per observation, decoded to the NHS ethnic category (16+1:
-- letters A-S, Z = not stated). A code matches on its core SNOMED code (seed ref_ethnicity_codes) or, failing
-- that, on the code as recorded (Read2 / CTV3 / EMIS local, seed ref_ethnicity_legacy_codes; case-sensitive).
-- Usable (macro dq_usable_observations): staging keeps the row in use and no cross-row check quarantines it
-- (before birth, after death). The person's ethnicity at a date is the latest of these on or before it
-- (int_demographics__persons_at_date).
with

observations as (

    {{ dq_usable_observations([
        'id', 'person_id', 'patient_id', 'organization_id', 'clinical_effective_date', 'code', 'code_scheme',
        'original_code', 'original_code_scheme'
    ]) }}

),

snomed_categories as (

    select
        cast(snomed_code as {{ dbt.type_string() }}) as code,
        nhs16_code
    from {{ ref('ref_ethnicity_codes') }}

),

legacy_categories as (

    select distinct
        code_scheme,
        code,
        nhs16_code
    from {{ ref('ref_ethnicity_legacy_codes') }}

),

ethnicity_records as (

    select
        observations.id as observation_id,
        observations.person_id,
        observations.patient_id,
        observations.organization_id,
        observations.clinical_effective_date,
        observations.code,
        observations.original_code,
        observations.original_code_scheme,
        coalesce(snomed_categories.nhs16_code, legacy_categories.nhs16_code) as nhs16_code,
        case
            when snomed_categories.nhs16_code is not null then 'core_code' else 'original_code'
        end as matched_on
    from observations
    left join snomed_categories
        on
            observations.code_scheme = 'snomed'
            and observations.code = snomed_categories.code
    left join legacy_categories
        on
            observations.original_code_scheme = legacy_categories.code_scheme
            and observations.original_code = legacy_categories.code
    where
        (snomed_categories.nhs16_code is not null or legacy_categories.nhs16_code is not null)
        and observations.clinical_effective_date is not null

)

select * from ethnicity_records
