-- HYP008 numerator, as status intervals (the dates on which it holds): the latest blood pressure in the 12 months
-- before the date is 140/90 mmHg or lower.
with

numerator_rows as (

    {{ hypertension_bp_control_numerator(140, 90) }}

)

select * from numerator_rows
