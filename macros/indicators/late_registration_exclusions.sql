{#- A select of candidate exclusions (columns as macro exclusion_events, reason registered_late) for the childhood
    immunisation indicators: rows of `denominator` whose current registration began at `age_months` of age or later,
    too late for the practice to give the course in time. -#}
{% macro late_registration_exclusions(denominator, age_months, priority) %}
    select
        person_id,
        period_end,
        'registered_late' as exclusion_reason,
        {{ priority }} as exclusion_priority,
        false as excludes_achievers
    from {{ denominator }}
    where registration_date >= cast({{ dbt.dateadd('month', age_months, 'birth_month_start') }} as date)
{% endmacro %}
