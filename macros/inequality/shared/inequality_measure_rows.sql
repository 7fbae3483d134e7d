{#-
    The inequality macros' common output: one row per measure (partition columns, measure, estimate, se, ci_lower,
    ci_upper, n_groups) from a relation holding <measure>_estimate (and, when with_se, <measure>_se) columns and
    n_groups. Intervals are normal: estimate -/+ z * se. partition_select is the partition column list followed by
    ', ' (or '' when there is none).
-#}
{% macro inequality_measure_rows(source, partition_select, measures, z=none, with_se=true) -%}
    {{ return(adapter.dispatch('inequality_measure_rows')(source, partition_select, measures, z, with_se)) }}
{%- endmacro %}

{% macro default__inequality_measure_rows(source, partition_select, measures, z, with_se) -%}
    {%- if with_se and z is none -%}
        {{ exceptions.raise_compiler_error('inequality_measure_rows: z is required when with_se is true') }}
    {%- endif -%}
    {% for measure in measures -%}
    select
        {{ partition_select }}
        '{{ measure }}' as measure,
        {{ measure }}_estimate as estimate,
        {%- if with_se %}
        {{ measure }}_se as se,
        {{ measure }}_estimate - {{ z }} * {{ measure }}_se as ci_lower,
        {{ measure }}_estimate + {{ z }} * {{ measure }}_se as ci_upper,
        {%- else %}
        cast(null as {{ type_double() }}) as se,
        cast(null as {{ type_double() }}) as ci_lower,
        cast(null as {{ type_double() }}) as ci_upper,
        {%- endif %}
        n_groups
    from {{ source }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}
{%- endmacro %}
