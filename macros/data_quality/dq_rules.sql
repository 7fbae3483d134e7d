{#- The catalogue of data-quality rules: what each reason code (staging dq_reason, the int_data_quality__ checks,
    stg_discovery__removed_rows) means and what the pipeline does with a row that meets it. One place, used by
    fct_dq_row_outcomes (rule -> action) and dq_row_is_usable(). Actions:
      deleted            removed by a Discovery delete row (the delete row itself, or a row it names)
      duplicate_removed  an extra copy of an exact duplicate row; one copy is kept
      quarantined        kept in staging with its dq_reason, left out of every downstream model
      corrected          kept and used; a later model rewrites the value (e.g. DCCT % to mmol/mol)
      flagged            kept and used as it is; the flag is informational
    Returns a list of {rule, source_tables, action, description}. -#}
{% macro dq_rules() %}
    {{ return([
        {'rule': 'delete_row', 'source_tables': 'every table', 'action': 'deleted',
         'description': 'a Discovery delete row (is_delete true, only the key filled)'},
        {'rule': 'deleted_by_delete_row', 'source_tables': 'every table', 'action': 'deleted',
         'description': 'a row whose key a delete row names'},
        {'rule': 'exact_duplicate', 'source_tables': 'every table', 'action': 'duplicate_removed',
         'description': 'an extra copy of a row delivered more than once with every column equal'},

        {'rule': 'future_dated', 'source_tables': 'observation', 'action': 'quarantined',
         'description': 'clinical_effective_date after the last day the extract covers'},
        {'rule': 'bp_systolic_implausible', 'source_tables': 'observation', 'action': 'quarantined',
         'description': 'systolic blood pressure (sbp_qof) value outside 40-350 mmHg'},
        {'rule': 'bp_diastolic_implausible', 'source_tables': 'observation', 'action': 'quarantined',
         'description': 'diastolic blood pressure (dbp_qof) value outside 20-200 mmHg'},
        {'rule': 'before_birth', 'source_tables': 'observation', 'action': 'quarantined',
         'description': "dated before the patient record's date of birth (a partial date: the whole period is)"},
        {'rule': 'after_death', 'source_tables': 'observation', 'action': 'quarantined',
         'description': "dated after the patient record's date of death (and not after the extract)"},
        {'rule': 'hba1c_dcct', 'source_tables': 'observation', 'action': 'corrected',
         'description': 'HbA1c (ifcchbam_cod, hba1c_tests) below 20, unit not mmol/mol: DCCT %, to convert to IFCC'},
        {'rule': 'orphan_diastolic', 'source_tables': 'observation', 'action': 'flagged',
         'description': 'diastolic reading with no parent and no usable systolic reading for the person that day'},
        {'rule': 'partial_date_year', 'source_tables': 'observation', 'action': 'flagged',
         'description': 'date known to the year only (date precision DS_DATE_PREC_year), stored as 1 January'},
        {'rule': 'partial_date_month', 'source_tables': 'observation', 'action': 'flagged',
         'description': 'date known to the month only (date precision DS_DATE_PREC_month), stored as the 1st'},

        {'rule': 'lsoa_missing', 'source_tables': 'patient_address', 'action': 'quarantined',
         'description': 'no LSOA 2011 code (no fixed abode, missing or invalid postcode)'},
        {'rule': 'lsoa_malformed', 'source_tables': 'patient_address', 'action': 'quarantined',
         'description': 'LSOA 2011 code not of the form E01/W01/S01 and six digits'},
        {'rule': 'lsoa_non_english', 'source_tables': 'patient_address', 'action': 'quarantined',
         'description': 'Welsh (W01) or Scottish (S01) small area: no English IMD'},
        {'rule': 'lsoa_unknown', 'source_tables': 'patient_address', 'action': 'quarantined',
         'description': 'well-formed English code that is not a 2011 LSOA of IMD 2019 (stg_reference__lsoa11_imd2019)'},
        {'rule': 'lsoa_outside_nel', 'source_tables': 'patient_address', 'action': 'flagged',
         'description': 'English LSOA outside north east London (not in stg_reference__nel_lsoa11); it has an IMD'},

        {'rule': 'pre_registration', 'source_tables': 'episode_of_care', 'action': 'quarantined',
         'description': 'pre-registration status (FHIR_RS_PR1-PR3) or type (FHIR_RT_PR): not yet registered'},
        {'rule': 'temporary_registration', 'source_tables': 'episode_of_care', 'action': 'quarantined',
         'description': 'temporary resident registration (FHIR_RT_T): not on the GMS list'},
        {'rule': 'dummy_registration', 'source_tables': 'episode_of_care', 'action': 'quarantined',
         'description': 'dummy or synthetic registration (FHIR_RT_D)'},
        {'rule': 'non_gms_registration', 'source_tables': 'episode_of_care', 'action': 'quarantined',
         'description': 'any other registration type that is not regular/GMS (FHIR_RT_R), or none'},
        {'rule': 'superseded_registration', 'source_tables': 'episode_of_care', 'action': 'flagged',
         'description': "GMS episode still open when the person's later GMS registration started"},

        {'rule': 'test_patient', 'source_tables': 'patient, person', 'action': 'quarantined',
         'description': 'record carries a name in a pseudonymised feed: a test or dummy patient'},
    ]) }}
{% endmacro %}


{#- SQL boolean: a row whose dq_reason is `reason_column` may be used downstream, i.e. it has no reason or only a
    reason whose action is corrected or flagged (informational). -#}
{% macro dq_row_is_usable(reason_column) -%}
    {%- set usable_reasons = [] -%}
    {%- for dq_rule in dq_rules() if dq_rule.action in ('corrected', 'flagged') -%}
        {%- do usable_reasons.append("'" ~ dq_rule.rule ~ "'") -%}
    {%- endfor -%}
    ({{ reason_column }} is null or {{ reason_column }} in ({{ usable_reasons | join(', ') }}))
{%- endmacro %}
