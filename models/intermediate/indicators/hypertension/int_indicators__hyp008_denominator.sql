-- HYP008 denominator: registered patients on the hypertension register at the period end, aged 79 or under.
with

denominator_rows as (

    {{ hypertension_bp_control_denominator(min_age=none, max_age=79) }}

)

select * from denominator_rows
