{#- A select of candidate exclusions as status intervals (columns as macro exclusion_events, reason registered_late)
    for the childhood immunisation indicators: the intervals of int_indicators__population_intervals whose
    registration began at `age_months` of age or later, too late for the practice to give the course in time. -#}
{% macro late_registration_exclusions(age_months, priority) %}
    select
        person_id,
        valid_from,
        valid_to,
        'registered_late' as exclusion_reason,
        {{ priority }} as exclusion_priority,
        false as excludes_achievers
    from {{ ref('int_indicators__population_intervals') }}
    where registration_date >= cast({{ dbt.dateadd('month', age_months, 'date_of_birth') }} as date)
{% endmacro %}
