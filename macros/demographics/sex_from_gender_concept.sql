{#- SQL text: 'male', 'female', 'other' or 'unknown' from the id of a patient's gender concept (the FHIR
    administrative-gender concepts of stg_discovery__concept.id). -#}
{% macro sex_from_gender_concept(concept_id) -%}
    case {{ concept_id }}
        when 'FHIR_AG_male' then 'male'
        when 'FHIR_AG_female' then 'female'
        when 'FHIR_AG_other' then 'other'
        else 'unknown'
    end
{%- endmacro %}
