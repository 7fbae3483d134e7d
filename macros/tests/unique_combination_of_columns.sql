{#- Generic test: no two rows share the same values of a combination of columns (a compound key). NULLs group
    together, so two rows with the same NULLs count as duplicates. Filter rows with the standard `config: where:`. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {{ return(adapter.dispatch('test_unique_combination_of_columns', 'equity_qi')(model, combination_of_columns)) }}
{% endtest %}


{% macro default__test_unique_combination_of_columns(model, combination_of_columns) %}
    {%- if combination_of_columns is string or combination_of_columns is not iterable
        or combination_of_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "unique_combination_of_columns: 'combination_of_columns' must be a non-empty list of column names, got "
            ~ combination_of_columns
        ) }}
    {%- endif -%}
    {%- set column_list = combination_of_columns | join(', ') -%}

-- failing rows: each combination that occurs more than once, with how often
select
    {{ column_list }},
    count(*) as n_rows
from {{ model }}
group by {{ column_list }}
having count(*) > 1
{% endmacro %}
