-- CS005 numerator, as status intervals (the dates on which it holds): a cervical screening test in the 3.5 years (42
-- months) before the date.
with

numerator_rows as (

    {{ cervical_screening_numerator(42) }}

)

select * from numerator_rows
