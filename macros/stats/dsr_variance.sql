{#- SQL double AGGREGATE: the variance of the unscaled directly standardised rate (dsr_value) of one group, for the
    Dobson limits (use inside the same `group by` over age bands), as PHE calculate_dsr:
    sum(x * (w / n)^2) / sum(w)^2, with x = `count` (NULL treated as 0), n = `population`, w = `standard_population`.
    NULL when any band's population is NULL or <= 0; not suppressed for small counts (dobson_lower/_upper are).
    Non-independent events (PHE 2.1): sum over f of f^2 * dsr_variance(persons with exactly f events, ...). -#}
{% macro dsr_variance(count, population, standard_population) -%}
    {{ return(adapter.dispatch('dsr_variance', 'equity_qi')(count, population, standard_population)) }}
{%- endmacro %}


{% macro default__dsr_variance(count, population, standard_population) -%}
    case
        when min(case when ({{ population }}) > 0 then 1 else 0 end) = 1
            then sum(
                coalesce(cast({{ count }} as double), 0)
                * power(cast({{ standard_population }} as double) / nullif(cast({{ population }} as double), 0), 2)
            ) / power(sum(cast({{ standard_population }} as double)), 2)
    end
{%- endmacro %}
