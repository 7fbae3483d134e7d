-- HYP009 exclusions: QOF's personalised care adjustments for BP control (macro hypertension_bp_control_exclusions).
with

exclusion_rows as (

    {{ hypertension_bp_control_exclusions('int_indicators__hyp009_denominator') }}

)

select * from exclusion_rows
