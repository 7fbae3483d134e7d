-- Episode-of-care rules that need the person's other episodes (macro dq_rules): one row per superseded GMS
-- episode. Among the episodes staging leaves valid (regular/GMS, not pre-registration), an episode is superseded
-- when a later GMS registration of the same person started while it was still open (left open or closed late after
-- a practice transfer). The warehouse's registration rule counts a person at the practice of their latest started
-- GMS registration (int_registrations__gms_registered_persons), so from superseded_from_date on the earlier episode
-- no longer counts. Flagged, not quarantined: before that date it is the person's real registration. "Later" is a
-- later date_registered, or the same date and a higher id (the id stands for entry order).
with

gms_episodes as (

    select
        id,
        organization_id,
        person_id,
        date_registered,
        date_registered_end
    from {{ ref('stg_discovery__episode_of_care') }}
    where dq_reason is null

),

superseded_episodes as (

    select
        earlier_episodes.id as episode_of_care_id,
        earlier_episodes.organization_id,
        earlier_episodes.person_id,
        'superseded_registration' as dq_reason,
        min(later_episodes.date_registered) as superseded_from_date
    from gms_episodes as earlier_episodes
    inner join gms_episodes as later_episodes
        on
            earlier_episodes.person_id = later_episodes.person_id
            and (
                earlier_episodes.date_registered < later_episodes.date_registered
                or (
                    earlier_episodes.date_registered = later_episodes.date_registered
                    and earlier_episodes.id < later_episodes.id
                )
            )
            and (
                earlier_episodes.date_registered_end is null
                or earlier_episodes.date_registered_end > later_episodes.date_registered
            )
    group by
        earlier_episodes.id,
        earlier_episodes.organization_id,
        earlier_episodes.person_id

)

select * from superseded_episodes
