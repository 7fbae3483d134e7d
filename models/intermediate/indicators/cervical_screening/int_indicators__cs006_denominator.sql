-- CS006 denominator: registered women aged 50 to 64 at the period end.
with

denominator_rows as (

    {{ cervical_screening_denominator(50, 64) }}

)

select * from denominator_rows
