{#- A select of candidate exclusions (columns as macro exclusion_events, reason invited_twice) for QOF's invitation
    rule: rows of `denominator` with at least two `codelist_id` invitation codes at least 7 days apart within the 12
    months before the period end (the earliest and the latest invitation in the window are 7 or more days apart). -#}
{% macro invited_twice_exclusions(denominator, codelist_id, priority) %}
    select
        denominator_rows.person_id,
        denominator_rows.period_end,
        'invited_twice' as exclusion_reason,
        {{ priority }} as exclusion_priority,
        false as excludes_achievers
    from {{ denominator }} as denominator_rows
    inner join {{ ref('int_clinical__coded_events') }} as invitations
        on denominator_rows.person_id = invitations.person_id
    where
        invitations.codelist_id = '{{ codelist_id }}'
        and invitations.clinical_effective_date <= denominator_rows.period_end
        and invitations.clinical_effective_date > cast({{ dbt.dateadd('month', -12, 'denominator_rows.period_end') }} as date)
    group by denominator_rows.person_id, denominator_rows.period_end
    having {{ dbt.datediff('min(invitations.clinical_effective_date)', 'max(invitations.clinical_effective_date)', 'day') }} >= 7
{% endmacro %}
