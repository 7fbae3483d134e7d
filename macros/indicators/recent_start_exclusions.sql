{#- A select of candidate exclusions as status intervals (columns as macro exclusion_events) for QOF's "new patient"
    rules: the dates within `diagnosis_months` after a person's first diagnosis on `register_model` (made by macro
    qof_register_intervals; reason diagnosed_recently, priority `priority`) and within `registration_months` after
    the start of a registration (int_indicators__population_intervals; reason registered_recently, priority
    `priority` + 1): first diagnosis or registration date > date - N months (macro event_window_intervals). On a
    date in the denominator the person is on the register and registered, so the latest of these dates is the one
    the rule reads. -#}
{% macro recent_start_exclusions(priority, register_model=none, diagnosis_months=none, registration_months=none) %}
    {%- set parts = [] -%}
    {%- if diagnosis_months is not none -%}
        {%- set diagnoses -%}
            (
                select
                    person_id,
                    first_diagnosis_date as start_date
                from {{ ref(register_model) }}
                where first_diagnosis_date is not null
            )
        {%- endset -%}
        {%- do parts.append(('diagnosed_recently', diagnoses, diagnosis_months, priority)) -%}
    {%- endif -%}
    {%- if registration_months is not none -%}
        {%- set registrations -%}
            (
                select
                    person_id,
                    registration_date as start_date
                from {{ ref('int_indicators__population_intervals') }}
            )
        {%- endset -%}
        {%- do parts.append(('registered_recently', registrations, registration_months, priority + 1)) -%}
    {%- endif -%}
    {%- for reason, starts, months, rule_priority in parts %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            recent_starts.person_id,
            recent_starts.valid_from,
            recent_starts.valid_to,
            '{{ reason }}' as exclusion_reason,
            {{ rule_priority }} as exclusion_priority,
            false as excludes_achievers
        from (
            {{ event_window_intervals(starts, 'start_date', months) }}
        ) as recent_starts
    {%- endfor %}
{% endmacro %}
