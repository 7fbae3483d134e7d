{#- SQL clause: `group by grouping sets ((a, b), (c), ...)` over `sets`, a list of lists of column names (an empty
    list is the grand total). One scan aggregates every set, where a union of group-bys scans its input once per set.
    Standard SQL (DuckDB, Spark, PostgreSQL, Snowflake); dispatched so an engine without it can expand it. -#}
{% macro grouping_sets(sets) -%}
    {{ return(adapter.dispatch('grouping_sets', 'equity_qi')(sets)) }}
{%- endmacro %}


{% macro default__grouping_sets(sets) -%}
    group by grouping sets (
    {%- for set in sets %}
        ({{ set | join(', ') }}){{ ',' if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}
