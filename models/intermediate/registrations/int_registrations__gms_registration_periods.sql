-- Each person's regular/GMS registration history as non-overlapping periods, one row per usable GMS episode of
-- care: the reusable form of "registered at date D" (macro is_registered_on). The rule is the one
-- int_registrations__gms_registered_persons states: of the person's usable GMS episodes (staging leaves out
-- pre-registration, temporary, dummy and other non-GMS episodes) at usable patient records (no test patients, record
-- present), the latest started wins. So an episode counts from date_registered until the first of: its own end
-- (date_registered_end), the start of the person's next episode (later date_registered, or the same date and a
-- higher id: the id stands for entry order), and the patient record's date_of_death. period_end is exclusive and
-- NULL while open; a person is registered on D when period_start <= D < period_end. An episode superseded on the
-- day it started has an empty period (period_end = period_start): it is kept, so every usable episode is
-- accounted for, and never counts.
with

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

usable_gms_episodes as (

    select
        episodes.id as episode_of_care_id,
        episodes.organization_id,
        episodes.person_id,
        episodes.patient_id,
        episodes.date_registered,
        episodes.date_registered_end,
        usable_patients.date_of_death
    from {{ ref('stg_discovery__episode_of_care') }} as episodes
    inner join gms_registration_types
        on episodes.registration_type_concept_id = gms_registration_types.registration_type_concept_id
    inner join usable_patients
        on episodes.patient_id = usable_patients.id
    where
        {{ dq_row_is_usable('episodes.dq_reason') }}
        and episodes.date_registered is not null

),

episodes_with_next_start as (

    select
        *,
        lead(date_registered) over (
            partition by person_id
            order by date_registered, episode_of_care_id
        ) as next_registration_start
    from usable_gms_episodes

),

period_ends as (

    -- the earliest of the (possibly missing) end dates; a death or a next start can only shorten the period
    select
        *,
        case
            when
                date_of_death is not null
                and (date_registered_end is null or date_of_death < date_registered_end)
                and (next_registration_start is null or date_of_death < next_registration_start)
                then 'death'
            when
                next_registration_start is not null
                and (date_registered_end is null or next_registration_start < date_registered_end)
                then 'next_registration'
            when date_registered_end is not null
                then 'deregistered'
        end as period_end_reason
    from episodes_with_next_start

),

registration_periods as (

    select
        episode_of_care_id,
        organization_id,
        person_id,
        patient_id,
        date_registered as period_start,
        period_end_reason,
        date_registered,
        date_registered_end,
        date_of_death,
        case period_end_reason
            when 'death' then greatest(date_registered, date_of_death)
            when 'next_registration' then next_registration_start
            when 'deregistered' then greatest(date_registered, date_registered_end)
        end as period_end
    from period_ends

)

select * from registration_periods
