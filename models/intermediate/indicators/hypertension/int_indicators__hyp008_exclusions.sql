-- HYP008 exclusions: QOF's personalised care adjustments for BP control (macro hypertension_bp_control_exclusions).
with

exclusion_rows as (

    {{ hypertension_bp_control_exclusions() }}

)

select * from exclusion_rows
