-- DM_MEAN_HBA1C numerator: patients with an HbA1c in the 12 months before the period end; value = the latest one
-- (mmol/mol), whose mean over the denominator is the indicator.
with

numerator_rows as (

    {{ diabetes_hba1c_numerator('int_indicators__dm_mean_hba1c_denominator') }}

)

select * from numerator_rows
