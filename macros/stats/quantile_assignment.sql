{#- SQL integer WINDOW expression: the quantile (1..n_quantiles) of each row's `value` within its partition, exactly
    as PHE phe_quantile: rank = rank() of value (of -value when `invert`, so quantile 1 holds the highest values;
    ties take the minimum rank), N = count(value) over the partition,
    quantile = floor((nq + 1) - ceil(((N + 1) - rank) / (N / nq))), and 0 becomes 1. NULL when value is NULL, or for
    every row of a partition with fewer than nq non-NULL values. Ranks areas, not population (not IMD-style
    population-weighted quantiles). `n_quantiles` (integer >= 1) and `invert` (boolean) are compile-time;
    `partition_by` is a column expression or a list of them, none for the whole table. PHE requires invert to be
    the same within a group: to invert per group, call the macro twice in a case on the group's invert flag. -#}
{% macro quantile_assignment(value, n_quantiles, partition_by=none, invert=true) -%}
    {{ return(adapter.dispatch('quantile_assignment', 'equity_qi')(value, n_quantiles, partition_by, invert)) }}
{%- endmacro %}


{% macro default__quantile_assignment(value, n_quantiles, partition_by=none, invert=true) -%}
    {%- if n_quantiles is not integer or n_quantiles is boolean or n_quantiles < 1 -%}
        {{ exceptions.raise_compiler_error(
            "quantile_assignment: n_quantiles must be an integer >= 1, got " ~ n_quantiles
        ) }}
    {%- endif -%}
    {%- if invert is not boolean -%}
        {{ exceptions.raise_compiler_error("quantile_assignment: invert must be true or false, got " ~ invert) }}
    {%- endif -%}
    {%- if partition_by is none or partition_by == '' or partition_by == [] -%}
        {%- set partition = '' -%}
    {%- elif partition_by is string -%}
        {%- set partition = 'partition by ' ~ partition_by -%}
    {%- else -%}
        {%- set partition = 'partition by ' ~ (partition_by | join(', ')) -%}
    {%- endif -%}
    {%- set n_values = 'count(' ~ value ~ ') over (' ~ partition ~ ')' -%}
    {#- N / nq in double precision (an integer division on some engines otherwise) -#}
    {%- set values_per_quantile = '(cast(' ~ n_values ~ ' as double) / ' ~ n_quantiles ~ ')' -%}
    {%- set value_rank = 'rank() over (' ~ partition ~ ' order by ' ~ value ~ (' desc' if invert else ' asc')
        ~ ' nulls last)' -%}
    case
        when ({{ value }}) is not null and {{ n_values }} >= {{ n_quantiles }}
            then greatest(
                1,
                cast(
                    floor(
                        ({{ n_quantiles }} + 1)
                        - ceil((({{ n_values }} + 1) - {{ value_rank }}) / {{ values_per_quantile }})
                    )
                    as integer
                )
            )
    end
{%- endmacro %}
