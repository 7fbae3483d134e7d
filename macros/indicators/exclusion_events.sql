{#- A select of candidate exclusions: one row per (person_id, period_end) of the relation `denominator` with a coded
    event (int_clinical__coded_events) of one of `codelist_ids` on or before the period end and, when `window_months`
    is given, within that many months before it (event date > period end - window). Columns person_id,
    period_end, exclusion_reason (= `reason`), exclusion_priority (= `priority`: QOF rule order, lower applies first)
    and excludes_achievers (= `excludes_achievers`: true for rules that remove a patient even when the numerator is
    met, such as a removed cervix; personalised care adjustments only ever remove non-achievers). -#}
{% macro exclusion_events(denominator, codelist_ids, reason, priority, window_months=none, excludes_achievers=false) %}
    select distinct
        denominator_rows.person_id,
        denominator_rows.period_end,
        '{{ reason }}' as exclusion_reason,
        {{ priority }} as exclusion_priority,
        {{ 'true' if excludes_achievers else 'false' }} as excludes_achievers
    from {{ denominator }} as denominator_rows
    inner join {{ ref('int_clinical__coded_events') }} as exclusion_events
        on denominator_rows.person_id = exclusion_events.person_id
    where
        exclusion_events.codelist_id in ('{{ codelist_ids | join("', '") }}')
        and exclusion_events.clinical_effective_date <= denominator_rows.period_end
        {%- if window_months is not none %}
            and exclusion_events.clinical_effective_date
            > cast({{ dbt.dateadd('month', -window_months, 'denominator_rows.period_end') }} as date)
        {%- endif %}
{% endmacro %}
