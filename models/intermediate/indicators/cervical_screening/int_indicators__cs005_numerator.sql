-- CS005 numerator: a cervical screening test in the 3.5 years (42 months) before the period end.
with

numerator_rows as (

    {{ cervical_screening_numerator('int_indicators__cs005_denominator', 42) }}

)

select * from numerator_rows
