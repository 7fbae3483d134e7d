{#- SQL integer: 0 when `column` is one of the current grouping set's columns, 1 when it is rolled up (aggregated
    over). Only valid in the select list of a query grouped by macro grouping_sets. Dispatched: the standard
    grouping() on DuckDB, Spark and PostgreSQL. -#}
{% macro grouping_flag(column) -%}
    {{ return(adapter.dispatch('grouping_flag', 'equity_qi')(column)) }}
{%- endmacro %}


{% macro default__grouping_flag(column) -%}
    grouping({{ column }})
{%- endmacro %}
