{#- SELECT: the WHO HEAT population attributable measures, one row per partition and measure (the contract of
    macros/inequality: partition columns, measure, estimate, se, ci_lower, ci_upper, n_groups), metrics.md section 2:
      par = y_ref - mu                  (indicator units)
      paf = 100 (y_ref - mu) / mu       (%, as HEAT)
    mu = the population-weighted mean of the usable subgroups (never a supplied setting average). Reference subgroup:
    ordered dimension (every usable subgroup has a subgroup_order) the most advantaged (highest subgroup_order);
    non-ordered with exactly one usable is_reference subgroup that subgroup (as HEAT-Measures; healthequal paf()
    ignores the reference and always takes the best group: pass is_reference false to reproduce it); otherwise the
    best-performing subgroup (highest estimate when favourable, lowest when adverse; ties: the larger population,
    as healthequal). Zeroing rule (HEAT): both are 0 when favourable and y_ref < mu, or adverse and y_ref > mu
    (no improvement possible), so paf / par are >= 0 for favourable and <= 0 for adverse indicators.
    SE from Walter's 2x2 table (s = indicator_scale, N = total population): c = (y_ref / s) pop_ref,
    d = pop_ref - c, a = (mu / s) N - c, b = N - a - pop_ref, var = c N (a d (N - c) + b c^2) / ((a + c)^3 (c + d)^3).
    This is the variance of the PAF as a FRACTION; it uses no subgroup se and is kept when the estimate is zeroed.
      se(par) = |mu| sqrt(var)   (HEAT's |mu ((paf + z se) - (paf - z se))| / 2z).
      se(paf) = 100 sqrt(var), on the same % scale as the estimate. HEAT and healthequal report sqrt(var) itself
                and centre it on the % estimate (an interval 100 times too narrow); heat_compatible_se=true
                reproduces that.
    CI = estimate -/+ z se. Subgroups with NULL estimate or population <= 0 are ignored; n_groups counts the rest.
    NULL rules: everything NULL when fewer than 2 subgroups are usable, is_favourable is NULL or not constant, only
    some usable subgroups have a subgroup_order, or a non-ordered partition has more than one reference subgroup;
    paf also when mu <= 0; the se (and CI) when indicator_scale is NULL, not constant or <= 0, mu <= 0, or the
    variance is negative or undefined. Every partition of the relation gets rows. -#}
{% macro inequality_attributable(relation, partition_by, confidence=0.95, heat_compatible_se=false) -%}
    {{ return(adapter.dispatch('inequality_attributable', 'equity_qi')(
        relation, partition_by, confidence, heat_compatible_se
    )) }}
{%- endmacro %}


{% macro default__inequality_attributable(relation, partition_by, confidence=0.95, heat_compatible_se=false) -%}
    {%- if heat_compatible_se is not boolean -%}
        {{ exceptions.raise_compiler_error(
            "inequality_attributable: heat_compatible_se must be true or false, got " ~ heat_compatible_se
        ) }}
    {%- endif -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_list = partition_columns | join(', ') -%}
    {%- set partition_select = partition_list ~ ', ' if partition_columns else '' -%}
    {%- set over_partition = 'partition by ' ~ partition_list if partition_columns else '' -%}
    {%- set group_by_partition = 'group by ' ~ partition_list if partition_columns else '' -%}
    {%- set z = z_value(confidence) -%}
    {%- set paf_se_factor = '1' if heat_compatible_se else '100' -%}
    with

    heat_attributable_subgroups as (
        {{ heat_subgroup_frame(relation, partition_columns) }}
    ),

    heat_attributable_ranked as (
        select
            *,
            row_number() over (
                {{ over_partition }}
                order by case when sg_order is null then 1 else 0 end, sg_order desc, sg_population desc
            ) as rank_top_order,
            row_number() over (
                {{ over_partition }}
                order by
                    case when sg_estimate is null then 1 else 0 end,
                    case when p_favourable = 0 then sg_estimate else -sg_estimate end asc,
                    sg_population desc
            ) as rank_best
        from heat_attributable_subgroups
    ),

    heat_attributable_candidates as (
        select
            {{ partition_select }}
            cast(max(p_n) as integer) as n_groups,
            max(p_n_ordered) as n_ordered,
            max(p_n_reference) as n_reference,
            max(p_favourable) as favourable,
            max(p_scale) as partition_scale,
            max(p_mean) as mean_estimate,
            max(p_population) as total_population,
            max(case when rank_top_order = 1 and sg_order is not null then sg_estimate end) as y_top_order,
            max(case when rank_top_order = 1 and sg_order is not null then sg_population end) as pop_top_order,
            max(case when rank_best = 1 and sg_estimate is not null then sg_estimate end) as y_best,
            max(case when rank_best = 1 and sg_estimate is not null then sg_population end) as pop_best,
            max(case when sg_reference = 1 then sg_estimate end) as y_user_reference,
            max(case when sg_reference = 1 then sg_population end) as pop_user_reference
        from heat_attributable_ranked
        {{ group_by_partition }}
    ),

    heat_attributable_reference as (
        select
            {{ partition_select }}
            n_groups,
            favourable,
            partition_scale,
            mean_estimate,
            total_population,
            {%- for part in ['y', 'pop'] %}
            case
                when n_groups < 2 or favourable is null then null
                when n_ordered = n_groups then {{ part }}_top_order
                when n_ordered > 0 then null
                when n_reference = 1 then {{ part }}_user_reference
                when n_reference = 0 then {{ part }}_best
            end as {{ part }}_reference{{ ',' if not loop.last }}
            {%- endfor %}
        from heat_attributable_candidates
    ),

    heat_attributable_table as (
        select
            *,
            case
                when favourable = 1 and y_reference < mean_estimate then 0
                when favourable = 0 and y_reference > mean_estimate then 0
                else y_reference - mean_estimate
            end as par_estimate,
            (y_reference / cell_scale) * pop_reference as cell_c,
            pop_reference - (y_reference / cell_scale) * pop_reference as cell_d,
            (mean_estimate / cell_scale) * total_population - (y_reference / cell_scale) * pop_reference as cell_a,
            total_population - ((mean_estimate / cell_scale) * total_population
                - (y_reference / cell_scale) * pop_reference) - pop_reference as cell_b
        from (
            select
                *,
                case when partition_scale > 0 and mean_estimate > 0 then partition_scale end as cell_scale
            from heat_attributable_reference
        ) as heat_attributable_scaled
    ),

    heat_attributable_variance as (
        select
            *,
            cell_c * total_population
                * (cell_a * cell_d * (total_population - cell_c) + cell_b * cell_c * cell_c)
                / nullif(power(cell_a + cell_c, 3) * power(cell_c + cell_d, 3), 0) as paf_fraction_variance
        from heat_attributable_table
    ),

    heat_attributable_measures as (
        select
            {{ partition_select }}
            n_groups,
            case when mean_estimate > 0 then 100 * par_estimate / mean_estimate end as paf_estimate,
            case
                when mean_estimate > 0
                    then {{ paf_se_factor }} * sqrt(case when paf_fraction_variance >= 0 then paf_fraction_variance end)
            end as paf_se,
            par_estimate,
            abs(mean_estimate) * sqrt(case when paf_fraction_variance >= 0 then paf_fraction_variance end) as par_se
        from heat_attributable_variance
    )

    {{ inequality_measure_rows('heat_attributable_measures', partition_select, ['paf', 'par'], z) }}
{%- endmacro %}
