-- HYP_CF_BP5Y denominator: registered patients aged 40 or over who are not on the hypertension register at the
-- period end (the population hypertension case finding looks in). One anti-join on the register's validity
-- intervals (at most one covers a date).
with

population as (

    {{ population_at_period_ends(ref('int_indicators__population_intervals'), min_age_months=40 * 12) }}

),

denominator_rows as (

    select {{ registered_population_columns('population') }}
    from population
    left join {{ ref('int_indicators__hypertension_register') }} as register_states
        on
            population.person_id = register_states.person_id
            and {{ interval_covers('register_states', 'population.period_end') }}
            and register_states.is_on_register
    where register_states.person_id is null

)

select * from denominator_rows
