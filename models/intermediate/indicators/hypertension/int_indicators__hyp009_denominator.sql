-- HYP009 denominator: registered patients on the hypertension register at the period end, aged 80 or over.
with

denominator_rows as (

    {{ hypertension_bp_control_denominator(min_age=80, max_age=none) }}

)

select * from denominator_rows
