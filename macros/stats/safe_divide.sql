{#- SQL double: `numerator` / `denominator` (SQL expressions), computed in double precision; NULL when the
    denominator is NULL or 0 (or the numerator is NULL), never a division-by-zero error. -#}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'equity_qi')(numerator, denominator)) }}
{%- endmacro %}


{% macro default__safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}
