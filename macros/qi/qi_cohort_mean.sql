{#- SQL aggregate: a staggered QI project's estimate from its start cohorts' (int_qi__project_effects), the mean of
    `column` weighted by `weight` (Callaway and Sant'Anna's group-size weights). One cohort: its value exactly.
    NULL when any cohort's value is NULL (an aggregate over some cohorts would describe part of the project). -#}
{% macro qi_cohort_mean(column, weight='cohort_weight') -%}
    {{ return(adapter.dispatch('qi_cohort_mean', 'equity_qi')(column, weight)) }}
{%- endmacro %}


{% macro default__qi_cohort_mean(column, weight='cohort_weight') -%}
    case
        when count(*) = 1 then max({{ column }})
        when count({{ column }}) = count(*) then sum({{ weight }} * {{ column }}) / nullif(sum({{ weight }}), 0)
    end
{%- endmacro %}
