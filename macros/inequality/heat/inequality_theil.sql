{#- SELECT: the WHO HEAT generalised-entropy measures, one row per partition and measure (the contract of
    macros/inequality: partition columns, measure, estimate, se, ci_lower, ci_upper, n_groups), metrics.md section 2,
    x1000 as HEAT. An estimate of exactly 0 is replaced by 1e-6 (on the estimate's own scale, as HEAT and healthequal,
    also inside mu); with p_j = population share, mu = sum p_j y_j over the replaced values (the population-weighted
    mean, never a supplied setting average) and r_j = y_j / mu:
      ti  = 1000 sum p_j r_j ln r_j
            var = sum p^2 se^2 [(1 + ln r_j) - sum_k p_k r_k (1 + ln r_k)]^2 / mu^2
      mld = 1000 sum p_j (-ln r_j)
            var = sum (p^2 se^2 / mu^2) (1 - 1 / r_j)^2
    se = 1000 sqrt(var), on the same x1000 scale as the estimate (metrics.md); CI = estimate -/+ z se.
    HEAT-Measures and healthequal report sqrt(var) unscaled and centre it on the x1000 estimate (an interval 1000
    times too narrow); heat_compatible_se=true reproduces that. Direction-free (is_favourable, is_reference and
    subgroup_order are not used); HEAT shows these measures for non-ordered dimensions only.
    Subgroups with NULL estimate or population <= 0 are ignored; n_groups counts the rest. NULL rules: everything
    NULL when fewer than 2 subgroups are usable or any usable estimate is negative (the logarithm is undefined);
    se and CI when any usable subgroup has a NULL se. Every partition of the relation gets rows. -#}
{% macro inequality_theil(relation, partition_by, confidence=0.95, heat_compatible_se=false) -%}
    {{ return(adapter.dispatch('inequality_theil', 'equity_qi')(
        relation, partition_by, confidence, heat_compatible_se
    )) }}
{%- endmacro %}


{% macro default__inequality_theil(relation, partition_by, confidence=0.95, heat_compatible_se=false) -%}
    {%- if heat_compatible_se is not boolean -%}
        {{ exceptions.raise_compiler_error(
            "inequality_theil: heat_compatible_se must be true or false, got " ~ heat_compatible_se
        ) }}
    {%- endif -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_list = partition_columns | join(', ') -%}
    {%- set partition_select = partition_list ~ ', ' if partition_columns else '' -%}
    {%- set over_partition = 'partition by ' ~ partition_list if partition_columns else '' -%}
    {%- set group_by_partition = 'group by ' ~ partition_list if partition_columns else '' -%}
    {%- set z = z_value(confidence) -%}
    {%- set se_factor = '1' if heat_compatible_se else '1000' -%}
    {#- r_j and ln r_j from the previous CTE's columns; ln only of positive values (NULL otherwise, and such
        partitions are set to NULL below rather than summed without the subgroup) -#}
    {%- set ratio = '(nonzero_estimate / nullif(nonzero_mean, 0))' -%}
    {%- set log_ratio = 'ln(case when ' ~ ratio ~ ' > 0 then ' ~ ratio ~ ' end)' -%}
    with

    heat_theil_subgroups as (
        {{ heat_subgroup_frame(relation, partition_columns) }}
    ),

    heat_theil_nonzero as (
        select
            *,
            sum(sg_share * nonzero_estimate) over ({{ over_partition }}) as nonzero_mean
        from (
            select
                *,
                case when sg_estimate = 0 then cast(0.000001 as double) else sg_estimate end as nonzero_estimate
            from heat_theil_subgroups
        ) as heat_theil_replaced
    ),

    heat_theil_ratios as (
        select
            *,
            {{ ratio }} as ratio,
            {{ log_ratio }} as log_ratio,
            sum(sg_share * {{ ratio }} * (1 + {{ log_ratio }})) over ({{ over_partition }}) as ti_centre
        from heat_theil_nonzero
    ),

    heat_theil_sums as (
        select
            {{ partition_select }}
            cast(max(p_n) as integer) as n_groups,
            max(p_n_se) as n_with_se,
            sum(case when sg_estimate < 0 then 1 else 0 end) as n_negative,
            max(nonzero_mean) as nonzero_mean,
            sum(sg_share * ratio * log_ratio) as ti_sum,
            sum(sg_share * (-log_ratio)) as mld_sum,
            sum(power(sg_share * sg_se, 2) * power((1 + log_ratio) - ti_centre, 2)) as ti_variance_numerator,
            sum(power(sg_share * sg_se, 2) * power(1 - 1 / ratio, 2)) as mld_variance_numerator
        from heat_theil_ratios
        {{ group_by_partition }}
    ),

    heat_theil_measures as (
        select
            {{ partition_select }}
            n_groups,
            {%- for measure in ['ti', 'mld'] %}
            case
                when n_groups >= 2 and n_negative = 0 and nonzero_mean > 0 then 1000 * {{ measure }}_sum
            end as {{ measure }}_estimate,
            case
                when n_groups >= 2 and n_negative = 0 and nonzero_mean > 0 and n_with_se = n_groups
                    then {{ se_factor }} * sqrt({{ measure }}_variance_numerator / (nonzero_mean * nonzero_mean))
            end as {{ measure }}_se{{ ',' if not loop.last }}
            {%- endfor %}
        from heat_theil_sums
    )

    {{ inequality_measure_rows('heat_theil_measures', partition_select, ['ti', 'mld'], z) }}
{%- endmacro %}
