-- HYP_CF_BP5Y denominator: registered patients aged 40 or over who are not on the hypertension register at the
-- period end (the population hypertension case finding looks in).
with

population as (

    select {{ registered_population_columns('population') }}
    from {{ ref('int_indicators__registered_population') }} as population
    where population.age_years >= 40

),

on_register as (

    select
        population.person_id,
        population.period_end
    from population
    inner join {{ ref('int_indicators__hypertension_register') }} as register_states
        on
            population.person_id = register_states.person_id
            and {{ interval_covers('register_states', 'population.period_end') }}
    where register_states.is_on_register

),

denominator_rows as (

    select {{ registered_population_columns('population') }}
    from population
    left join on_register
        on
            population.person_id = on_register.person_id
            and population.period_end = on_register.period_end
    where on_register.person_id is null

)

select * from denominator_rows
