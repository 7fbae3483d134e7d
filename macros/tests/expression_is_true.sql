{#- Generic test: every row satisfies a SQL boolean expression. Model level (`expression` is the whole
    predicate) or column level (`expression` is appended to the column, e.g. '>= 0'). Rows where the expression
    is NULL pass, as in dbt-utils: test NULLs with not_null. Filter rows with the standard `config: where:`. -#}
{% test expression_is_true(model, expression, column_name=none) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'equity_qi')(model, expression, column_name)) }}
{% endtest %}


{% macro default__test_expression_is_true(model, expression, column_name) %}
    {%- if expression is none or (expression | string | trim) == '' -%}
        {{ exceptions.raise_compiler_error("expression_is_true: argument 'expression' is required") }}
    {%- endif -%}
    {%- set predicate = (column_name ~ ' ' ~ expression) if column_name else expression -%}

-- failing rows: those for which the expression is false
select *
from {{ model }}
where not ({{ predicate }})
{% endmacro %}
