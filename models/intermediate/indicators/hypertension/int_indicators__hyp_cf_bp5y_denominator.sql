-- HYP_CF_BP5Y denominator: registered patients aged 40 or over who are not on the hypertension register at the
-- period end (the population hypertension case finding looks in). One anti-join on the register's validity
-- intervals (at most one covers a date), so the population is read once.
with

denominator_rows as (

    select {{ registered_population_columns('population') }}
    from {{ ref('int_indicators__registered_population') }} as population
    left join {{ ref('int_indicators__hypertension_register') }} as register_states
        on
            population.person_id = register_states.person_id
            and {{ interval_covers('register_states', 'population.period_end') }}
            and register_states.is_on_register
    where
        population.age_years >= 40
        and register_states.person_id is null

)

select * from denominator_rows
