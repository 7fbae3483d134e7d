-- CS006 numerator: a cervical screening test in the 5.5 years (66 months) before the period end.
with

numerator_rows as (

    {{ cervical_screening_numerator('int_indicators__cs006_denominator', 66) }}

)

select * from numerator_rows
