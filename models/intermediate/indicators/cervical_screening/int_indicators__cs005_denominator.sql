-- CS005 denominator: registered women aged 25 to 49 at the period end.
with

denominator_rows as (

    {{ cervical_screening_denominator(25, 49) }}

)

select * from denominator_rows
