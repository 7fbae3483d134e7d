-- Persons on a practice's regular/GMS list at the as-of date (var as_of_date; default the extract's last day), one
-- row per person: the registration periods (int_registrations__gms_registration_periods, where the rule is stated)
-- that cover the date. Periods never overlap, so a person is at one practice at most.
with

as_of as (

    select {{ as_of_date() }} as as_of_date

),

registered_persons as (

    select
        periods.organization_id,
        periods.person_id,
        periods.patient_id,
        periods.episode_of_care_id,
        periods.period_start as date_registered,
        as_of.as_of_date
    from {{ ref('int_registrations__gms_registration_periods') }} as periods
    cross join as_of
    where {{ is_registered_on('periods', 'as_of.as_of_date') }}

)

select * from registered_persons
