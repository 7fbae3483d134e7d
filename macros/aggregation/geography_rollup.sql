{#- A select of sums of `measures` over `relation` rolled up to each of `geographies` in one scan (macro
    grouping_sets): one row per (`keys`..., geography_level, geography_code). `relation` has the `keys`, a column
    <geography>_code per name in `geographies` and the `measures`. Used to roll practice-level strata up to PCN,
    borough and ICB: summing the few practice rows of a stratum is far cheaper than re-reading the patients. -#}
{% macro geography_rollup(relation, keys, geographies, measures) %}
    {%- set sets = [] -%}
    {%- for geography in geographies -%}
        {%- do sets.append(keys + [geography ~ '_code']) -%}
    {%- endfor %}
    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        case
            {%- for geography in geographies %}
            when {{ grouping_flag(geography ~ '_code') }} = 0 then '{{ geography }}'
            {%- endfor %}
        end as geography_level,
        case
            {%- for geography in geographies %}
            when {{ grouping_flag(geography ~ '_code') }} = 0 then {{ geography }}_code
            {%- endfor %}
        end as geography_code,
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {{ grouping_sets(sets) }}
{% endmacro %}
