{#- SQL integer: the degrees of freedom to join seed ref_t_values on (with the confidence) for a sample of size `n`:
    n - 1 when n - 1 <= 100, otherwise the largest tabulated df <= n - 1 (100, 120, 150, 200, 300, 500, 1000,
    1000000), so the t value is never smaller than the exact one (conservative: at most 0.20% larger at 95% and 0.44%
    at 99.8%, worst for df 299, which uses df 200). The df 1000000 row (added to PHE's table; within 3e-6 of z) serves
    samples of more than a million, which would otherwise get df 1000 (0.12% / 0.26% too wide). NULL when n is NULL
    or < 2. -#}
{% macro t_lookup_df(n) -%}
    {{ return(adapter.dispatch('t_lookup_df', 'equity_qi')(n)) }}
{%- endmacro %}


{% macro default__t_lookup_df(n) -%}
    cast(
        case
            when ({{ n }}) < 2 then null
            when ({{ n }}) - 1 <= 100 then ({{ n }}) - 1
            when ({{ n }}) - 1 < 120 then 100
            when ({{ n }}) - 1 < 150 then 120
            when ({{ n }}) - 1 < 200 then 150
            when ({{ n }}) - 1 < 300 then 200
            when ({{ n }}) - 1 < 500 then 300
            when ({{ n }}) - 1 < 1000 then 500
            when ({{ n }}) - 1 < 1000000 then 1000
            when ({{ n }}) - 1 >= 1000000 then 1000000
        end
        as integer
    )
{%- endmacro %}
