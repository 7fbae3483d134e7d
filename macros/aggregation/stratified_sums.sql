{#- A select of sums of `measures` over `relation` for every geography x dimension breakdown, in one scan (macro
    grouping_sets): one row per (`keys`..., geography_level, geography_code, dimension, stratum). `relation` has the
    `keys`, a column <geography>_code per name in `geographies`, a column stratum_<dimension> per name in `dimensions`
    other than 'overall' (the stratum as a string), and the `measures`. 'overall' is the breakdown with one stratum,
    'All'. A row whose geography code or stratum is NULL keeps it (grouping_flag, not the value, tells the sets
    apart). -#}
{% macro stratified_sums(relation, keys, geographies, dimensions, measures) %}
    {%- set sets = [] -%}
    {%- for geography in geographies -%}
        {%- for dimension in dimensions -%}
            {%- set columns = keys + [geography ~ '_code'] -%}
            {%- if dimension != 'overall' -%}
                {%- set columns = columns + ['stratum_' ~ dimension] -%}
            {%- endif -%}
            {%- do sets.append(columns) -%}
        {%- endfor -%}
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
        case
            {%- for dimension in dimensions if dimension != 'overall' %}
            when {{ grouping_flag('stratum_' ~ dimension) }} = 0 then '{{ dimension }}'
            {%- endfor %}
            else 'overall'
        end as dimension,
        case
            {%- for dimension in dimensions if dimension != 'overall' %}
            when {{ grouping_flag('stratum_' ~ dimension) }} = 0 then stratum_{{ dimension }}
            {%- endfor %}
            else 'All'
        end as stratum,
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {{ grouping_sets(sets) }}
{% endmacro %}
