-- HYP008 numerator: the latest blood pressure in the 12 months before the period end is 140/90 mmHg or lower.
with

numerator_rows as (

    {{ hypertension_bp_control_numerator('int_indicators__hyp008_denominator', 140, 90) }}

)

select * from numerator_rows
