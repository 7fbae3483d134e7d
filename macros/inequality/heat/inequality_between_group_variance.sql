{#- SELECT: the WHO HEAT variance-type measures, one row per partition and measure (the contract of
    macros/inequality: partition columns, measure, estimate, se, ci_lower, ci_upper, n_groups), metrics.md section 2,
    with p_j = population share, mu = sum p_j y_j (the population-weighted mean, never a supplied setting average):
      bgv  = sum p_j (y_j - mu)^2   (squared indicator units)
             var = 4 sum p^2 se^2 (y - mu)^2 + 2 [(sum p^2 se^2)^2 - sum p^4 se^4 + sum p^2 (1 - p)^2 se^4]
             (HEAT Technical Notes / healthequal bgv(), analytic)
      bgsd = sqrt(bgv)              se = se(bgv) / (2 bgsd)              (delta method)
      cov  = 100 bgsd / mu          se = 100 se(bgsd) / |mu|             (delta method, mu treated as fixed)
    HEAT and healthequal give BGSD and COV simulation intervals (100 truncated-normal redraws of every estimate, R's
    RNG, seed 123456, 2.5th / 97.5th percentiles) that cannot be reproduced outside R; these macros give the
    delta-method SE from var(bgv) instead, so their CIs differ from HEAT's (the estimates agree). CI = estimate -/+
    z se for all three (not truncated at 0). Direction-free: is_favourable and is_reference are not used; HEAT
    shows these measures for non-ordered dimensions only, but they are computed for any partition.
    Subgroups with NULL estimate or population <= 0 are ignored; n_groups counts the rest. NULL rules: everything
    NULL when fewer than 2 subgroups are usable; cov when mu = 0; every se (and CI) when any usable subgroup has a
    NULL se; se(bgsd) and se(cov) also when bgv = 0. Every partition of the relation gets rows. -#}
{% macro inequality_between_group_variance(relation, partition_by, confidence=0.95) -%}
    {{ return(adapter.dispatch('inequality_between_group_variance', 'equity_qi')(relation, partition_by, confidence)) }}
{%- endmacro %}


{% macro default__inequality_between_group_variance(relation, partition_by, confidence=0.95) -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_list = partition_columns | join(', ') -%}
    {%- set partition_select = partition_list ~ ', ' if partition_columns else '' -%}
    {%- set group_by_partition = 'group by ' ~ partition_list if partition_columns else '' -%}
    {%- set z = z_value(confidence) -%}
    with

    heat_bgv_subgroups as (
        {{ heat_subgroup_frame(relation, partition_columns) }}
    ),

    heat_bgv_sums as (
        select
            {{ partition_select }}
            cast(max(p_n) as integer) as n_groups,
            max(p_n_se) as n_with_se,
            max(p_mean) as mean_estimate,
            sum(sg_share * (sg_estimate - p_mean) * (sg_estimate - p_mean)) as bgv,
            sum(power(sg_share * sg_se * (sg_estimate - p_mean), 2)) as sum_p2_se2_dev2,
            sum(power(sg_share * sg_se, 2)) as sum_p2_se2,
            sum(power(sg_share * sg_se, 4)) as sum_p4_se4,
            sum(power(sg_share * (1 - sg_share), 2) * power(sg_se, 4)) as sum_p2_q2_se4
        from heat_bgv_subgroups
        {{ group_by_partition }}
    ),

    heat_bgv_measures as (
        select
            {{ partition_select }}
            n_groups,
            mean_estimate,
            case when n_groups >= 2 then bgv end as bgv_estimate,
            case
                when n_groups >= 2 and n_with_se = n_groups
                    then sqrt(
                        4 * sum_p2_se2_dev2 + 2 * (sum_p2_se2 * sum_p2_se2 - sum_p4_se4 + sum_p2_q2_se4)
                    )
            end as bgv_se
        from heat_bgv_sums
    ),

    heat_bgv_derived as (
        select
            *,
            sqrt(bgv_estimate) as bgsd_estimate,
            bgv_se / nullif(2 * sqrt(bgv_estimate), 0) as bgsd_se,
            100 * sqrt(bgv_estimate) / nullif(mean_estimate, 0) as cov_estimate,
            100 * (bgv_se / nullif(2 * sqrt(bgv_estimate), 0)) / nullif(abs(mean_estimate), 0) as cov_se
        from heat_bgv_measures
    )

    {{ inequality_measure_rows('heat_bgv_derived', partition_select, ['bgv', 'bgsd', 'cov'], z) }}
{%- endmacro %}
