{#- SQL double: lower limit of the Student t confidence interval of a mean, as PHE phe_mean:
    mean - t_value * sd / sqrt(n), where sd is the sample standard deviation (stddev_samp, n - 1) and t_value the
    two-sided t for n - 1 degrees of freedom, which the caller joins from seed ref_t_values on
    df = t_lookup_df(n) and confidence. NULL when n < 2 or any input is NULL. -#}
{% macro t_interval_lower(mean, sd, n, t_value) -%}
    {{ return(adapter.dispatch('t_interval_lower', 'equity_qi')(mean, sd, n, t_value)) }}
{%- endmacro %}


{% macro default__t_interval_lower(mean, sd, n, t_value) -%}
    case
        when ({{ n }}) >= 2
            then cast({{ mean }} as double)
            - cast({{ t_value }} as double) * cast({{ sd }} as double) / sqrt(cast({{ n }} as double))
    end
{%- endmacro %}
