-- Observation rules that need more than the row itself (macro dq_rules): one row per staged observation and rule
-- it meets. before_birth and after_death compare the date with the date of birth and death of the observation's
-- patient record; a partial date (staging dq_reason partial_date_year/month) is before birth only if the whole
-- year or month is, and a future-dated row is left to the staging rule future_dated. orphan_diastolic: a diastolic
-- reading (dbp_qof) with no parent_observation_id and no systolic reading (sbp_qof) for the person on that date; it
-- is flagged, not quarantined, because the value itself is plausible: it simply cannot be paired (BP pairing keeps
-- systolic/diastolic pairs only). Only systolic readings that survive quarantine count (a diastolic whose only
-- systolic that day is implausible, before birth or after death is an orphan too).
-- The staged observations are read twice, each time by name (dated, and blood pressure values), not through one
-- CTE: DuckDB writes a CTE a query reads twice to memory or disk first (50M rows at NEL, 250M with background
-- codes), and only the few implausibly dated rows are kept before the two date rules split them.
with

patients as (

    select
        id,
        {{ birth_month_start('birth_year', 'birth_month') }} as birth_month_start,
        date_of_death
    from {{ ref('stg_discovery__patient') }}

),

measure_codes as (

    {{ dq_measure_codes() }}

),

dated_observations as (

    -- the last day the recorded date can stand for: a partial date covers its whole year or month
    select
        observations.id,
        observations.organization_id,
        observations.clinical_effective_date,
        patients.birth_month_start,
        patients.date_of_death,
        case
            when observations.dq_reason = 'partial_date_year'
                then {{ dbt.last_day('observations.clinical_effective_date', 'year') }}
            when observations.dq_reason = 'partial_date_month'
                then {{ dbt.last_day('observations.clinical_effective_date', 'month') }}
            else observations.clinical_effective_date
        end as latest_possible_date
    from {{ ref('stg_discovery__observation') }} as observations
    inner join patients
        on observations.patient_id = patients.id

),

implausibly_dated_observations as (

    select
        id,
        organization_id,
        latest_possible_date < birth_month_start as is_before_birth,
        (
            clinical_effective_date > date_of_death
            and clinical_effective_date <= {{ discovery_extract_end_date() }}
        ) as is_after_death
    from dated_observations
    where
        latest_possible_date < birth_month_start
        or (
            clinical_effective_date > date_of_death
            and clinical_effective_date <= {{ discovery_extract_end_date() }}
        )

),

before_birth_observations as (

    select
        id as observation_id,
        organization_id,
        'before_birth' as dq_reason
    from implausibly_dated_observations
    where is_before_birth

),

after_death_observations as (

    select
        id as observation_id,
        organization_id,
        'after_death' as dq_reason
    from implausibly_dated_observations
    where is_after_death

),

blood_pressure_values as (

    select
        observations.id,
        observations.organization_id,
        observations.person_id,
        observations.clinical_effective_date,
        observations.parent_observation_id,
        observations.dq_reason,
        measure_codes.measure
    from {{ ref('stg_discovery__observation') }} as observations
    inner join measure_codes
        on
            observations.code = measure_codes.code
            and observations.code_scheme = 'snomed'
    where measure_codes.measure in ('systolic_bp', 'diastolic_bp')

),

quarantined_by_date as (

    select observation_id from before_birth_observations
    union all
    select observation_id from after_death_observations

),

systolic_days as (

    select distinct
        blood_pressure_values.person_id,
        blood_pressure_values.clinical_effective_date
    from blood_pressure_values
    left join quarantined_by_date
        on blood_pressure_values.id = quarantined_by_date.observation_id
    where
        blood_pressure_values.measure = 'systolic_bp'
        and {{ dq_row_is_usable('blood_pressure_values.dq_reason') }}
        and quarantined_by_date.observation_id is null

),

orphan_diastolic_observations as (

    select
        blood_pressure_values.id as observation_id,
        blood_pressure_values.organization_id,
        'orphan_diastolic' as dq_reason
    from blood_pressure_values
    left join systolic_days
        on
            blood_pressure_values.person_id = systolic_days.person_id
            and blood_pressure_values.clinical_effective_date = systolic_days.clinical_effective_date
    where
        blood_pressure_values.measure = 'diastolic_bp'
        and blood_pressure_values.parent_observation_id is null
        and systolic_days.person_id is null

),

failed_checks as (

    select * from before_birth_observations
    union all
    select * from after_death_observations
    union all
    select * from orphan_diastolic_observations

)

select * from failed_checks
