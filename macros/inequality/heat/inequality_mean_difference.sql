{#- SELECT: the WHO HEAT mean difference measures and indices of disparity, one row per partition and measure (the
    contract of macros/inequality: partition columns, measure, estimate, se, ci_lower, ci_upper, n_groups),
    metrics.md section 2, over the n usable subgroups with p_j = population share and
    mu = sum p_j y_j (the population-weighted mean, ALWAYS: healthequal mdmu() / idisu() let a supplied
    setting_average override it; the published vectors used the weighted mean):
      mdmu = (1/n) sum |y_j - mu|         mdmw = sum p_j |y_j - mu|
      mdbu = (1/n) sum |y_j - y_best|     mdbw = sum p_j |y_j - y_best|
               y_best = highest estimate when favourable, lowest when adverse (the best subgroup counts in n)
      mdru = (1/n) sum |y_j - y_ref|      mdrw = sum p_j |y_j - y_ref|
               y_ref = the estimate of the partition's single usable is_reference subgroup
      idisu = 100 mdmu / mu               idisw = 100 mdmw / mu
    se, ci_lower and ci_upper are always NULL: HEAT and healthequal have no analytic variance for these measures and
    report simulation intervals (100 truncated-normal redraws per subgroup from R's RNG, seed 123456, percentiles)
    that cannot be reproduced outside R. Direction-free apart from y_best; HEAT shows these measures for non-ordered
    dimensions only, but they are computed for any partition.
    Subgroups with NULL estimate or population <= 0 are ignored; n_groups counts the rest. NULL rules: every
    estimate NULL when fewer than 2 subgroups are usable; mdbu / mdbw when is_favourable is NULL or not constant;
    mdru / mdrw when the partition has no usable reference subgroup or more than one (the rows are still emitted);
    idisu / idisw when mu = 0. Every partition of the relation gets all eight rows. -#}
{% macro inequality_mean_difference(relation, partition_by, confidence=0.95) -%}
    {{ return(adapter.dispatch('inequality_mean_difference', 'equity_qi')(relation, partition_by, confidence)) }}
{%- endmacro %}


{% macro default__inequality_mean_difference(relation, partition_by, confidence=0.95) -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_list = partition_columns | join(', ') -%}
    {%- set partition_select = partition_list ~ ', ' if partition_columns else '' -%}
    {%- set over_partition = 'partition by ' ~ partition_list if partition_columns else '' -%}
    {%- set group_by_partition = 'group by ' ~ partition_list if partition_columns else '' -%}
    {#- confidence is only validated (z_value raises on an untabulated level): there is no interval to compute -#}
    {%- do z_value(confidence) -%}
    {%- set targets = {'m': 'p_mean', 'b': 'best_estimate', 'r': 'reference_estimate'} -%}
    with

    heat_md_subgroups as (
        {{ heat_subgroup_frame(relation, partition_columns) }}
    ),

    heat_md_targets as (
        select
            *,
            case
                when p_favourable = 1 then max(sg_estimate) over ({{ over_partition }})
                when p_favourable = 0 then min(sg_estimate) over ({{ over_partition }})
            end as best_estimate,
            case
                when p_n_reference = 1
                    then max(case when sg_reference = 1 then sg_estimate end) over ({{ over_partition }})
            end as reference_estimate
        from heat_md_subgroups
    ),

    heat_md_sums as (
        select
            {{ partition_select }}
            cast(max(p_n) as integer) as n_groups,
            max(p_mean) as mean_estimate,
            {%- for letter, target in targets.items() %}
            max({{ target }}) as target_{{ letter }},
            sum(abs(sg_estimate - {{ target }})) as sum_abs_{{ letter }},
            sum(sg_share * abs(sg_estimate - {{ target }})) as weighted_abs_{{ letter }}{{ ',' if not loop.last }}
            {%- endfor %}
        from heat_md_targets
        {{ group_by_partition }}
    ),

    heat_md_measures as (
        select
            {{ partition_select }}
            n_groups,
            {%- for letter in targets %}
            case
                when n_groups >= 2 and target_{{ letter }} is not null then sum_abs_{{ letter }} / n_groups
            end as md{{ letter }}u_estimate,
            case
                when n_groups >= 2 and target_{{ letter }} is not null then weighted_abs_{{ letter }}
            end as md{{ letter }}w_estimate,
            {%- endfor %}
            case
                when n_groups >= 2 then 100 * (sum_abs_m / n_groups) / nullif(mean_estimate, 0)
            end as idisu_estimate,
            case when n_groups >= 2 then 100 * weighted_abs_m / nullif(mean_estimate, 0) end as idisw_estimate
        from heat_md_sums
    )

    {{ inequality_measure_rows(
        'heat_md_measures',
        partition_select,
        ['mdmu', 'mdmw', 'mdbu', 'mdbw', 'mdru', 'mdrw', 'idisu', 'idisw'],
        with_se=false
    ) }}
{%- endmacro %}
