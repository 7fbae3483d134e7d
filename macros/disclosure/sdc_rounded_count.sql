{#- SQL bigint: `count` (a person count) as published: NULL when it is redacted (macro sdc_is_redacted) or
    `is_suppressed` (SQL boolean, for instance complementary suppression; default false), otherwise rounded to the
    nearest multiple of var('sdc_rounding_base') (5: OpenSAFELY's rule; halves round up). -#}
{% macro sdc_rounded_count(count, is_suppressed='false') -%}
    {{ return(adapter.dispatch('sdc_rounded_count', 'equity_qi')(count, is_suppressed)) }}
{%- endmacro %}


{% macro default__sdc_rounded_count(count, is_suppressed) -%}
    {%- set base = var('sdc_rounding_base') -%}
    cast(
        case
            when {{ sdc_is_redacted(count) }} or ({{ is_suppressed }}) then null
            else floor(({{ count }} + {{ base / 2 }}) / {{ base }}) * {{ base }}
        end as {{ dbt.type_bigint() }}
    )
{%- endmacro %}
