{#- A select of the registered population (int_indicators__registered_population, every column) on a disease register
    (`register_model`, made by macro qof_register_intervals) at the period end, aged `min_age` to `max_age` completed
    years (none = no bound), plus the register's first_diagnosis_date. -#}
{% macro register_population(register_model, min_age=none, max_age=none) %}
    select
        {{ registered_population_columns('population') }},
        register_states.first_diagnosis_date
    from {{ ref('int_indicators__registered_population') }} as population
    inner join {{ ref(register_model) }} as register_states
        on
            population.person_id = register_states.person_id
            and {{ interval_covers('register_states', 'population.period_end') }}
    where
        register_states.is_on_register
        {%- if min_age is not none %}
            and population.age_years >= {{ min_age }}
        {%- endif %}
        {%- if max_age is not none %}
            and population.age_years <= {{ max_age }}
        {%- endif %}
{% endmacro %}
