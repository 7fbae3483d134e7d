{#- SQL double AGGREGATE: the directly standardised rate of one group (use inside a `group by` over its age bands,
    one row per band), unscaled (multiply by e.g. 100000 outside), as PHE calculate_dsr:
    sum(x * w / n) / sum(w), with x = `count` (NULL treated as 0), n = `population`, w = `standard_population`.
    NULL when the total count sum(x) < 10 (PHE: "dsr NA for total count < 10"; dsr_is_reportable states the same
    rule) and when any band's population is NULL or <= 0 (PHE stops with an error there). Callers must give every
    band of the standard, so that sum(w) is the standard's total. -#}
{% macro dsr_value(count, population, standard_population) -%}
    {{ return(adapter.dispatch('dsr_value', 'equity_qi')(count, population, standard_population)) }}
{%- endmacro %}


{% macro default__dsr_value(count, population, standard_population) -%}
    case
        when sum(coalesce({{ count }}, 0)) >= 10
            and min(case when ({{ population }}) > 0 then 1 else 0 end) = 1
            then sum(
                coalesce(cast({{ count }} as double), 0) * cast({{ standard_population }} as double)
                / nullif(cast({{ population }} as double), 0)
            ) / sum(cast({{ standard_population }} as double))
    end
{%- endmacro %}
