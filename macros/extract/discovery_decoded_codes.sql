{#- A select of `rows` (a CTE or relation with core_concept_id and non_core_concept_id) with four columns added from
    stg_discovery__concept: original_code / original_code_scheme, the code as the practice recorded it
    (non_core_concept_id: Read2, CTV3, EMIS or TPP local, or SNOMED), and code / code_scheme, its core code (SNOMED
    for clinical codes, dm+d for drugs). The core concept is core_concept_id, or, when the feed left it empty (an
    unmapped local code), the concept the current concept_map maps the original concept to. Codes the concept
    table does not know stay null; one output row per input row. -#}
{% macro discovery_decoded_codes(rows) %}
    select
        {{ rows }}.*,
        core_concepts.code,
        core_concepts.code_scheme,
        original_concepts.code as original_code,
        original_concepts.code_scheme as original_code_scheme
    from {{ rows }}
    left join {{ ref('stg_discovery__concept') }} as original_concepts
        on {{ rows }}.non_core_concept_id = original_concepts.dbid
    left join {{ ref('stg_discovery__concept') }} as core_concepts
        on coalesce({{ rows }}.core_concept_id, original_concepts.mapped_core_concept_id) = core_concepts.dbid
{% endmacro %}
