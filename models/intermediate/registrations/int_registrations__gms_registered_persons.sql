-- Persons on a practice's regular/GMS list at the as-of date (var as_of_date; default the extract's last day):
-- an episode of care of type FHIR_RT_R open at that date, at a patient record not marked dead by then. One row
-- per organisation and person. A thin first version of the usual NEL "currently registered" derivation: persons
-- registered at two practices count at both, and pre-registration statuses, dummy patients and implausible ages
-- are not excluded yet.
with

as_of as (

    select {{ as_of_date() }} as as_of_date

),

gms_registration_types as (

    select dbid as registration_type_concept_id
    from {{ ref('stg_discovery__concept') }}
    where id = 'FHIR_RT_R'

),

open_gms_episodes as (

    select
        episodes.organization_id,
        episodes.patient_id,
        episodes.person_id,
        as_of.as_of_date
    from {{ ref('stg_discovery__episode_of_care') }} as episodes
    inner join gms_registration_types
        on episodes.registration_type_concept_id = gms_registration_types.registration_type_concept_id
    cross join as_of
    where
        episodes.date_registered <= as_of.as_of_date
        and (episodes.date_registered_end is null or episodes.date_registered_end > as_of.as_of_date)

),

registered_persons as (

    -- an episode whose patient record is missing (e.g. deleted) does not count: the patient cannot be shown alive
    select distinct
        open_gms_episodes.organization_id,
        open_gms_episodes.person_id,
        open_gms_episodes.as_of_date
    from open_gms_episodes
    inner join {{ ref('stg_discovery__patient') }} as patients
        on open_gms_episodes.patient_id = patients.id
    where patients.date_of_death is null or patients.date_of_death > open_gms_episodes.as_of_date

)

select * from registered_persons
