{#- A select of candidate exclusions (columns as macro exclusion_events) for QOF's "new patient" rules: rows of
    `denominator` whose diagnosis (column first_diagnosis_date, when `diagnosis_months` is given) or current
    registration (registration_date, when `registration_months` is given) falls within that many months before the
    period end. Reasons diagnosed_recently and registered_recently; priorities `priority` and `priority` + 1. -#}
{% macro recent_start_exclusions(denominator, priority, diagnosis_months=none, registration_months=none) %}
    {%- set parts = [] -%}
    {%- if diagnosis_months is not none -%}
        {%- do parts.append(('diagnosed_recently', 'first_diagnosis_date', diagnosis_months, priority)) -%}
    {%- endif -%}
    {%- if registration_months is not none -%}
        {%- do parts.append(('registered_recently', 'registration_date', registration_months, priority + 1)) -%}
    {%- endif -%}
    {%- for reason, date_column, months, rule_priority in parts %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            person_id,
            period_end,
            '{{ reason }}' as exclusion_reason,
            {{ rule_priority }} as exclusion_priority,
            false as excludes_achievers
        from {{ denominator }}
        where {{ date_column }} > cast({{ dbt.dateadd('month', -months, 'period_end') }} as date)
    {%- endfor %}
{% endmacro %}
