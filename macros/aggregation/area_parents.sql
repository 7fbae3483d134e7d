{#- A select of (geography_level, geography_code, parent_level, parent_code): each practice and the PCN it belongs
    to, each PCN and its borough, each borough and the ICB, from `practices` (a relation with practice_code,
    pcn_code, borough_code and icb_code, such as dim_practice). The areas a geography's rows add up to: disclosure
    control reads them as additive groups. -#}
{% macro area_parents(practices) %}
    {{ return(adapter.dispatch('area_parents', 'equity_qi')(practices)) }}
{% endmacro %}


{% macro default__area_parents(practices) %}
    select distinct
        'practice' as geography_level,
        practice_code as geography_code,
        'pcn' as parent_level,
        pcn_code as parent_code
    from {{ practices }}
    union all
    select distinct
        'pcn' as geography_level,
        pcn_code as geography_code,
        'borough' as parent_level,
        borough_code as parent_code
    from {{ practices }}
    union all
    select distinct
        'borough' as geography_level,
        borough_code as geography_code,
        'icb' as parent_level,
        icb_code as parent_code
    from {{ practices }}
{% endmacro %}
