-- DM_MEAN_HBA1C numerator, as status intervals (the dates on which it holds): patients with an HbA1c in the 12 months
-- before the date; value = the latest one (mmol/mol), whose mean over the denominator is the indicator.
with

numerator_rows as (

    {{ diabetes_hba1c_numerator() }}

)

select * from numerator_rows
