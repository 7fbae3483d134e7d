-- DM020 exclusions: QOF's personalised care adjustments for HbA1c control (macro diabetes_hba1c_control_exclusions).
with

exclusion_rows as (

    {{ diabetes_hba1c_control_exclusions('int_indicators__dm020_denominator') }}

)

select * from exclusion_rows
