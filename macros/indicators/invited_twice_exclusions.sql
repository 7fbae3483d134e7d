{#- A select of candidate exclusions as status intervals (columns as macro exclusion_events, reason invited_twice)
    for QOF's invitation rule: the dates with at least two `codelist_id` invitations at least 7 days apart within the
    12 months before them (the earliest and the latest invitation in the window are 7 or more days apart). On a date,
    the best pair is the latest invitation so far with the latest one 7 or more days before it, so the rule holds
    from each invitation day that has such a partner until the next invitation day or until the partner leaves the
    12-month window (macro months_window_end), whichever comes first. -#}
{% macro invited_twice_exclusions(codelist_id, priority) %}
    select
        invitations.person_id,
        invitations.invitation_date as valid_from,
        case
            when invitations.next_invitation_date is null
                or invitations.next_invitation_date > {{ months_window_end('partners.partner_date', 12) }}
                then {{ months_window_end('partners.partner_date', 12) }}
            else invitations.next_invitation_date
        end as valid_to,
        'invited_twice' as exclusion_reason,
        {{ priority }} as exclusion_priority,
        false as excludes_achievers
    from (
        select
            invitation_days.person_id,
            invitation_days.invitation_date,
            lead(invitation_days.invitation_date) over (
                partition by invitation_days.person_id order by invitation_days.invitation_date
            ) as next_invitation_date
        from (
            select distinct
                person_id,
                clinical_effective_date as invitation_date
            from {{ ref('int_clinical__coded_events') }}
            where codelist_id = '{{ codelist_id }}'
        ) as invitation_days
    ) as invitations
    inner join (
        select
            later_days.person_id,
            later_days.clinical_effective_date as invitation_date,
            max(earlier_days.clinical_effective_date) as partner_date
        from {{ ref('int_clinical__coded_events') }} as later_days
        inner join {{ ref('int_clinical__coded_events') }} as earlier_days
            on
                later_days.person_id = earlier_days.person_id
                and earlier_days.clinical_effective_date
                <= cast({{ dbt.dateadd('day', -7, 'later_days.clinical_effective_date') }} as date)
        where later_days.codelist_id = '{{ codelist_id }}' and earlier_days.codelist_id = '{{ codelist_id }}'
        group by later_days.person_id, later_days.clinical_effective_date
    ) as partners
        on
            invitations.person_id = partners.person_id
            and invitations.invitation_date = partners.invitation_date
    where {{ months_window_end('partners.partner_date', 12) }} > invitations.invitation_date
{% endmacro %}
