-- CS006 numerator, as status intervals (the dates on which it holds): a cervical screening test in the 5.5 years (66
-- months) before the date.
with

numerator_rows as (

    {{ cervical_screening_numerator(66) }}

)

select * from numerator_rows
