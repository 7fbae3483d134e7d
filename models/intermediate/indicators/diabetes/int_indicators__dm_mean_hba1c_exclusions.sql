-- DM_MEAN_HBA1C exclusions: patients with no HbA1c in the 12 months before the period end have no value to
-- average, so they leave the denominator (reason no_result_in_12_months; counted, not dropped). As a status
-- interval: the rule is a personalised care adjustment, which never removes an achiever, and the numerator is
-- exactly "an HbA1c in the 12 months"; so one open interval per person ever on the diabetes register, from their
-- first register event, removes precisely the non-achievers of the denominator.
with

first_register_events as (

    select
        person_id,
        min(valid_from) as first_event_date
    from {{ ref('int_indicators__diabetes_register') }}
    group by person_id

),

exclusion_rows as (

    select
        person_id,
        first_event_date as valid_from,
        cast(null as date) as valid_to,
        'no_result_in_12_months' as exclusion_reason,
        1 as exclusion_priority,
        false as excludes_achievers
    from first_register_events

)

select * from exclusion_rows
