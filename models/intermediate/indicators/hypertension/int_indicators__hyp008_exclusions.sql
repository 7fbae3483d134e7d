-- HYP008 exclusions: QOF's personalised care adjustments for BP control (macro hypertension_bp_control_exclusions).
with

exclusion_rows as (

    {{ hypertension_bp_control_exclusions('int_indicators__hyp008_denominator') }}

)

select * from exclusion_rows
