-- DM020 numerator: the latest HbA1c in the 12 months before the period end is 58 mmol/mol or lower (value = it).
with

numerator_rows as (

    {{ diabetes_hba1c_numerator('int_indicators__dm020_denominator', hba1c_max=58) }}

)

select * from numerator_rows
