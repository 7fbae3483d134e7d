{#- A select of registered persons on a disease register (`register_model`, made by macro qof_register_intervals) at
    each period end, aged `min_age` to `max_age` completed years (none = no bound): the columns of macro
    registered_population_columns plus the register's first_diagnosis_date. The population's intervals are cut to the
    register's first (a few per person), so only persons on the register are expanded to period ends. -#}
{% macro register_population(register_model, min_age=none, max_age=none) %}
with

    register_intervals as (

        select
            population.person_id,
            greatest(population.valid_from, register_states.valid_from) as valid_from,
            least(population.valid_to, coalesce(register_states.valid_to, cast('9999-12-31' as date))) as valid_to,
            population.organization_id,
            population.registration_date,
            population.birth_month_start,
            population.person_stratum_id,
            register_states.first_diagnosis_date
        from {{ ref('int_indicators__population_intervals') }} as population
        inner join {{ ref(register_model) }} as register_states
            on
                population.person_id = register_states.person_id
                and register_states.valid_from < population.valid_to
                and (register_states.valid_to is null or register_states.valid_to > population.valid_from)
        where register_states.is_on_register

    ),

    on_register as (

        {{ population_at_period_ends(
            'register_intervals',
            min_age_months=(min_age * 12 if min_age is not none else none),
            max_age_months=(max_age * 12 + 11 if max_age is not none else none),
            extra_columns=['first_diagnosis_date']
        ) }}

    )

    select
        {{ registered_population_columns('on_register') }},
        on_register.first_diagnosis_date
    from on_register
{% endmacro %}
