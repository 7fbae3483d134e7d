{#- dq_reason of a patient or person row: 'test_patient' when it carries a name. Pseudonymised Discovery feeds
    leave names empty, so a name marks a test or dummy record (ELDB excludes these by name). -#}
{% macro dq_test_patient_reason() %}
    case
        when nullif(trim(first_names), '') is not null or nullif(trim(last_name), '') is not null
            then 'test_patient'
    end
{% endmacro %}
