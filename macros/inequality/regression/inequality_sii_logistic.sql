{#- SELECT: the WHO HEAT / healthequal slope and relative index of inequality of an ORDERED dimension (healthequal
    1.0.1 sii.R / rii.R, HEAT-Measures calc-sii.R / calc-rii.R with the declared indicator_scale; metrics.md
    section 2), one row per partition and measure (the contract of macros/inequality: partition columns, measure,
    estimate, se, ci_lower, ci_upper, n_groups), measures 'sii_logistic' and 'rii_logistic'. From the logistic fit
    of inequality_sii_logistic_fit (beta0, beta1 and their HC1 covariance V; see there for the model, the
    `iterations` of IRLS and the rounding of counts), with p1 = expit(beta0 + beta1) (fitted at rank 1, the most
    advantaged) and p0 = expit(beta0) (rank 0, the most disadvantaged) and s = indicator_scale:
      sii_logistic  estimate = (p1 - p0) s; delta method with gradient [p1 (1 - p1) - p0 (1 - p0), p1 (1 - p1)]:
                    se = s sqrt(g'Vg) (on the estimate's scale; healthequal reports it divided by s),
                    CI = estimate -/+ z se.
      rii_logistic  estimate = p1 / p0; se = the SE of ln(p1 / p0) with gradient [p0 - p1, 1 - p1] (as HEAT);
                    CI = exp(ln(estimate) -/+ z se).
    z = z_value(confidence) (compile-time). No sign flip for adverse indicators (HEAT's engine): an adverse
    indicator concentrated among the disadvantaged gives sii_logistic < 0 and rii_logistic < 1.
    Subgroups with NULL estimate or population <= 0 are ignored; n_groups counts the rest. NULL rules: everything is
    NULL when the fit is (fewer than 3 usable subgroups, a NULL subgroup_order, an unusable or inconsistent
    indicator_scale, an estimate outside 0..scale; see inequality_sii_logistic_fit); rii_logistic is also NULL when
    p0 = 0 in double precision. Every partition of the relation gets its two rows (n_groups = 0 when no subgroup is
    usable). Partition columns must not be NULL (the contract) nor be named like the contract's columns. -#}
{% macro inequality_sii_logistic(relation, partition_by, confidence=0.95, iterations=25) -%}
    {{ return(adapter.dispatch('inequality_sii_logistic', 'equity_qi')(
        relation, partition_by, confidence, iterations
    )) }}
{%- endmacro %}


{% macro default__inequality_sii_logistic(relation, partition_by, confidence=0.95, iterations=25) -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_select = partition_columns | join(', ') ~ ', ' if partition_columns else '' -%}
    {%- set z = z_value(confidence) -%}
    {%- set non_negative = 'case when @ < 0 then 0 else @ end' -%}
    {#- g'Vg for a gradient (g0, g1) over (beta0, beta1), as a template on @0 and @1 -#}
    {%- set quadratic_form = '(@0) * (@0) * var_beta0 + 2 * (@0) * (@1) * cov_beta01 + (@1) * (@1) * var_beta1' -%}
    with

    sii_logistic__fit as (
        {{ inequality_sii_logistic_fit(relation, partition_by, iterations) | indent(8) }}
    ),

    sii_logistic__end_points as (
        select
            {{ partition_select }}
            n_groups,
            indicator_scale,
            var_beta0,
            var_beta1,
            cov_beta01,
            1 / (1 + exp(-(beta0 + beta1))) as advantaged_proportion,
            1 / (1 + exp(-beta0)) as disadvantaged_proportion
        from sii_logistic__fit
    ),

    sii_logistic__indices as (
        select
            {{ partition_select }}
            n_groups,
            (advantaged_proportion - disadvantaged_proportion) * indicator_scale as sii,
            sqrt({{ non_negative | replace('@', quadratic_form
                | replace('@0', 'advantaged_proportion * (1 - advantaged_proportion)'
                    ~ ' - disadvantaged_proportion * (1 - disadvantaged_proportion)')
                | replace('@1', 'advantaged_proportion * (1 - advantaged_proportion)')) }})
                * indicator_scale as sii_se,
            advantaged_proportion / nullif(disadvantaged_proportion, 0) as rii,
            case when disadvantaged_proportion > 0 then sqrt({{ non_negative | replace('@', quadratic_form
                | replace('@0', 'disadvantaged_proportion - advantaged_proportion')
                | replace('@1', '1 - advantaged_proportion')) }}) end as ln_rii_se
        from sii_logistic__end_points
    )

    select
        {{ partition_select }}
        'sii_logistic' as measure,
        sii as estimate,
        sii_se as se,
        sii - {{ z }} * sii_se as ci_lower,
        sii + {{ z }} * sii_se as ci_upper,
        n_groups
    from sii_logistic__indices

    union all

    select
        {{ partition_select }}
        'rii_logistic' as measure,
        rii as estimate,
        ln_rii_se as se,
        case when rii > 0 then exp(ln(rii) - {{ z }} * ln_rii_se) end as ci_lower,
        case when rii > 0 then exp(ln(rii) + {{ z }} * ln_rii_se) end as ci_upper,
        n_groups
    from sii_logistic__indices
{%- endmacro %}
