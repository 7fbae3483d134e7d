{#- Generic test: the model's row count equals the sum of the row counts of other relations, each optionally
    filtered. compare_to is a list of terms {relation: ref(...) or source(...), where: optional SQL predicate}:

        - row_count_reconciles:
            arguments:
              compare_to:
                - relation: ref('stg_discovery__observation')
                - relation: ref('int_discovery__quarantine')
                  where: "source_table = 'observation'"

    reads "rows of the model = staged + quarantined rows of observation". Filter the model's own rows with the
    standard `config: where:`. On failure returns one row: both counts and their difference. -#}
{% test row_count_reconciles(model, compare_to) %}
    {{ return(adapter.dispatch('test_row_count_reconciles', 'equity_qi')(model, compare_to)) }}
{% endtest %}


{% macro default__test_row_count_reconciles(model, compare_to) %}
    {%- if compare_to is string or compare_to is mapping or compare_to is not iterable or compare_to | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "row_count_reconciles: 'compare_to' must be a non-empty list of {relation: ..., where: ...} terms"
        ) }}
    {%- endif -%}
    {%- for term in compare_to -%}
        {%- if term is not mapping or not term.get('relation') -%}
            {{ exceptions.raise_compiler_error(
                "row_count_reconciles: every compare_to term needs a 'relation' (ref or source), got " ~ term
            ) }}
        {%- endif -%}
    {%- endfor -%}

with

model_rows as (

    select count(*) as row_count
    from {{ model }}

),

compared_rows as (
    {%- for term in compare_to %}

    select count(*) as row_count
    from {{ term['relation'] }}
    {%- if term.get('where') %}
    where {{ term['where'] }}
    {%- endif %}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

expected_rows as (

    select sum(row_count) as row_count
    from compared_rows

)

-- failing row: the two counts when they differ
select
    model_rows.row_count as model_row_count,
    expected_rows.row_count as expected_row_count,
    model_rows.row_count - expected_rows.row_count as difference
from model_rows
cross join expected_rows
where model_rows.row_count != expected_rows.row_count
{% endmacro %}
