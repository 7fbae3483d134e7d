-- DM020 numerator, as status intervals (the dates on which it holds): the latest HbA1c in the 12 months before the date
-- is 58 mmol/mol or lower (value = it).
with

numerator_rows as (

    {{ diabetes_hba1c_numerator(hba1c_max=58) }}

)

select * from numerator_rows
