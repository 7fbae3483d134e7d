{#- A select of the SNOMED codes of the measurements the data-quality rules check, one row per code:
    (code, measure) with measure 'systolic_bp' (codelist sbp_qof), 'diastolic_bp' (dbp_qof) or 'hba1c'
    (ifcchbam_cod, hba1c_tests; a code in both lists appears once). Join it to concept.code of an observation's
    core_concept_id. -#}
{% macro dq_measure_codes() -%}
    select distinct
        code,
        case
            when codelist_id = 'sbp_qof' then 'systolic_bp'
            when codelist_id = 'dbp_qof' then 'diastolic_bp'
            else 'hba1c'
        end as measure
    from {{ ref('ref_codelist_codes') }}
    where
        code_scheme = 'snomed'
        and codelist_id in ('sbp_qof', 'dbp_qof', 'ifcchbam_cod', 'hba1c_tests')
{%- endmacro %}
