{#- SQL boolean: the whole of `expression` matches the regular expression `pattern` (anchored at both ends).
    Keep patterns to the common subset (literals, [classes], {n} repeats). NULL in, NULL out. -#}
{% macro regex_full_match(expression, pattern) %}
    {{ return(adapter.dispatch('regex_full_match', 'equity_qi')(expression, pattern)) }}
{% endmacro %}


{#- ANSI SQL:1999 SIMILAR TO (whole-string match; Postgres, DuckDB and others). -#}
{% macro default__regex_full_match(expression, pattern) -%}
    ({{ expression }} similar to '{{ dbt.escape_single_quotes(pattern) }}')
{%- endmacro %}


{% macro duckdb__regex_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ dbt.escape_single_quotes(pattern) }}')
{%- endmacro %}
