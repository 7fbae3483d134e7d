{#- dq_reason of a patient or person row: 'test_patient' when it carries a name. Pseudonymised Discovery feeds
    leave names empty, so a name marks a test or dummy record (ELDB excludes these by name). The names themselves
    never reach a relation: the raw views expose only has_first_names and has_last_name. -#}
{% macro dq_test_patient_reason() %}
    case
        when has_first_names or has_last_name then 'test_patient'
    end
{% endmacro %}
