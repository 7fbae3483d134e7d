{#- SQL double literal: the two-sided standard normal critical value z = qnorm(1 - (1 - confidence) / 2) for a
    compile-time `confidence` of 0.90, 0.95, 0.98, 0.99 or 0.998 (number or numeric string); any other value is a
    compiler error. The constants equal seed ref_z_values (tests/test_dbt_stats_macros.py checks they agree). They are
    cast to double because a bare decimal literal is DECIMAL in DuckDB and Spark. -#}
{% macro z_value(confidence=0.95) -%}
    {{ return(adapter.dispatch('z_value', 'equity_qi')(confidence)) }}
{%- endmacro %}


{% macro default__z_value(confidence=0.95) -%}
    {%- set z_by_confidence = {
        '0.900': '1.6448536269514722',
        '0.950': '1.959963984540054',
        '0.980': '2.3263478740408408',
        '0.990': '2.5758293035489004',
        '0.998': '3.090232306167813',
    } -%}
    {%- set key = none -%}
    {%- if confidence is number and confidence is not boolean -%}
        {%- set key = '%.3f' | format(confidence) -%}
    {%- elif confidence is string and modules.re.fullmatch('0?\\.[0-9]+', confidence | trim) -%}
        {%- set key = '%.3f' | format(confidence | trim | float) -%}
    {%- endif -%}
    {%- if key not in z_by_confidence or (key | float - (confidence | float)) | abs > 1e-9 -%}
        {{ exceptions.raise_compiler_error(
            "z_value: confidence must be one of 0.90, 0.95, 0.98, 0.99, 0.998, got " ~ confidence
        ) }}
    {%- endif -%}
    cast({{ z_by_confidence[key] }} as double)
{%- endmacro %}
