{#- The SQL type of an 8-byte floating-point number, for statistics (rates, confidence limits, means): dbt's
    type_float() is FLOAT, which DuckDB reads as a 4-byte REAL (7 significant digits), too coarse to check CIs to 1e-6.
    'double' on DuckDB and Spark. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'equity_qi')()) }}
{%- endmacro %}


{% macro default__type_double() -%}
    double
{%- endmacro %}
