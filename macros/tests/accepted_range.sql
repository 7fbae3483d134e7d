{#- Generic test: a column's values lie within [min_value, max_value]. Either bound may be omitted (not both);
    each bound is inclusive unless min_inclusive / max_inclusive is false. Bounds are SQL expressions, so numbers,
    "cast('2020-01-01' as date)" or "current_date" all work. NULL values pass: test them with not_null. Filter rows
    with the standard `config: where:`. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, min_inclusive=true, max_inclusive=true) %}
    {{ return(adapter.dispatch('test_accepted_range', 'equity_qi')(
        model, column_name, min_value, max_value, min_inclusive, max_inclusive
    )) }}
{% endtest %}


{% macro default__test_accepted_range(model, column_name, min_value, max_value, min_inclusive, max_inclusive) %}
    {%- if min_value is none and max_value is none -%}
        {{ exceptions.raise_compiler_error("accepted_range on " ~ column_name ~ ": give min_value, max_value or both") }}
    {%- endif -%}

-- failing rows: a row fails when its value is on the wrong side of a bound; comparisons with NULL are not
-- true, so NULLs never fail
select *
from {{ model }}
where
    1 = 2
    {%- if min_value is not none %}
    or not ({{ column_name }} {{ '>=' if min_inclusive else '>' }} {{ min_value }})
    {%- endif %}
    {%- if max_value is not none %}
    or not ({{ column_name }} {{ '<=' if max_inclusive else '<' }} {{ max_value }})
    {%- endif %}
{% endmacro %}
