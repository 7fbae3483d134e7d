-- Persons on a practice's regular/GMS list at the as-of date (var as_of_date; default the extract's last day), one
-- row per person. The registration rule (the NEL "currently registered" derivation, discovery_schema.md 2.3):
-- take the person's GMS episodes that staging leaves usable (so no pre-registration, temporary or dummy episodes)
-- at patient records that are usable (no test patients); among those started by the as-of date the latest started
-- one wins (ties: the higher episode id); the person counts at its practice if it is still open at the as-of date and
-- the patient record is not marked dead by then. A later registration therefore supersedes an earlier one left open
-- after a transfer (int_data_quality__episode_of_care_checks lists those).
with

as_of as (

    select {{ as_of_date() }} as as_of_date

),

gms_registration_types as (

    select dbid as registration_type_concept_id
    from {{ ref('stg_discovery__concept') }}
    where id = 'FHIR_RT_R'

),

usable_patients as (

    select
        id,
        date_of_death
    from {{ ref('stg_discovery__patient') }}
    where {{ dq_row_is_usable('dq_reason') }}

),

started_gms_episodes as (

    -- an episode whose patient record is missing (e.g. deleted) does not count: the patient cannot be shown alive
    select
        episodes.id,
        episodes.organization_id,
        episodes.person_id,
        episodes.date_registered,
        episodes.date_registered_end,
        usable_patients.date_of_death,
        as_of.as_of_date
    from {{ ref('stg_discovery__episode_of_care') }} as episodes
    inner join gms_registration_types
        on episodes.registration_type_concept_id = gms_registration_types.registration_type_concept_id
    inner join usable_patients
        on episodes.patient_id = usable_patients.id
    cross join as_of
    where
        {{ dq_row_is_usable('episodes.dq_reason') }}
        and episodes.date_registered <= as_of.as_of_date

),

latest_started_episodes as (

    select
        *,
        row_number() over (
            partition by person_id
            order by date_registered desc, id desc
        ) as start_rank
    from started_gms_episodes

),

registered_persons as (

    select
        organization_id,
        person_id,
        as_of_date
    from latest_started_episodes
    where
        start_rank = 1
        and (date_registered_end is null or date_registered_end > as_of_date)
        and (date_of_death is null or date_of_death > as_of_date)

)

select * from registered_persons
