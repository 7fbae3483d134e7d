{#- A select of candidate exclusions as status intervals: for each person with a coded event
    (int_clinical__coded_events) of one of `codelist_ids`, the dates on which such an event lies on or before the date
    and, when `window_months` is given, within that many months before it (macro event_window_intervals). Columns
    person_id, valid_from, valid_to (NULL = open), exclusion_reason (= `reason`), exclusion_priority (= `priority`:
    QOF rule order, lower applies first) and excludes_achievers (= `excludes_achievers`: true for rules that remove a
    patient even when the numerator is met, such as a removed cervix; personalised care adjustments only ever remove
    non-achievers). The outcomes apply them to the denominator's person-periods (macro indicator_outcomes). -#}
{% macro exclusion_events(codelist_ids, reason, priority, window_months=none, excludes_achievers=false) %}
    {%- set events -%}
        (
            select
                person_id,
                clinical_effective_date
            from {{ ref('int_clinical__coded_events') }}
            where codelist_id in ('{{ codelist_ids | join("', '") }}')
        )
    {%- endset %}
    select
        event_windows.person_id,
        event_windows.valid_from,
        event_windows.valid_to,
        '{{ reason }}' as exclusion_reason,
        {{ priority }} as exclusion_priority,
        {{ 'true' if excludes_achievers else 'false' }} as excludes_achievers
    from (
        {{ event_window_intervals(events, 'clinical_effective_date', window_months) }}
    ) as event_windows
{% endmacro %}
