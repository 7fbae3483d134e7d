{#- SELECT: concentration indices of an ORDERED dimension, one row per partition and measure (the contract of
    macros/inequality: partition columns, measure, estimate, se, ci_lower, ci_upper, n_groups), over `relation`'s
    subgroups (subgroup_order 1 = most disadvantaged; estimate, se, population, indicator_scale). metrics.md sections
    2 and 3. With p_j = population share and ridit X_j = (share of the groups ordered before j) + p_j / 2 (tied
    subgroup_order values share their tie group's mid-point rank), mu = sum p_j y_j:
      aci           = sum p_j (2 X_j - 1) y_j                      (absolute / generalised CI, = mu * rci)
      rci           = aci / mu                                     (relative CI as a fraction; HEAT shows x100)
      rci_wagstaff  = (b - a) aci / ((b - mu) (mu - a))            (= rci / (1 - mu / b) when a = 0)
      rci_erreygers = 4 aci / (b - a)                              (= 4 mu rci / (b - a))
    with bounds a = lower_bound, b = upper_bound (SQL aggregate expressions over the partition's kept subgroups;
    default 0 and max(indicator_scale); 'min(estimate)' / 'max(estimate)' give rineq's observed-range CIc).
    SE by `se_method` (compile-time):
      'analytic'   HEAT Technical Notes: var(aci) = sum p^2 se^2 (2X - 1)^2,
                   var(rci) = sum p^2 se^2 ((2X - 1) - rci)^2 / mu^2. NULL unless every kept subgroup has an se.
      'regression' healthequal/HEAT "convenient regression" OLS SE, ignores se: with s2 = sum p (X - 1/2)^2 and
                   residuals e_j = 2 s2 (y_j / mu - 1) - rci (X_j - 1/2), var(rci) = sum p e^2 / ((n - 2) s2),
                   n = number of subgroups; se(aci) = |mu| se(rci). NULL when n < 3.
      'kakwani'    Kakwani et al. 1997 / O'Donnell eq. 8.9 for unit-level data (population = 1 per row, or counts of
                   sample units): with q_j = cumulative share of sum p y through j,
                   a_j = (y_j / mu)(2X_j - 1 - rci) + 2 - q_(j-1) - q_j,
                   var(rci) = (sum p a^2 - (1 + rci)^2) / N + sum p^2 se^2 ((2X - 1) - rci)^2 / mu^2,
                   N = sum of population; the second (within-group, grouped-data) term takes a NULL se as 0, so
                   one row per individual leaves se NULL. se(aci) = |mu| se(rci).
    The Wagstaff and Erreygers SEs scale se(rci) by their factor on rci, (b - a) mu / ((b - mu)(mu - a)) and
    4 mu / (b - a), treating mu as fixed. CI = estimate -/+ z(confidence) * se.
    Subgroups with NULL estimate or population <= 0 are ignored; n_groups counts the rest. NULL rules: every
    measure (and se) is NULL when fewer than 2 subgroups are kept or any kept subgroup_order is NULL (non-ordered
    dimension); rci, se(rci) and both bounded SEs when mu = 0; the bounded measures when b <= a, a bound is NULL, or a
    kept estimate lies outside [a, b]; rci_wagstaff also when mu = a or mu = b; se and the CI whenever the method's
    inputs are missing as above. Partition columns must never be NULL (comparisons are re-joined on them); every
    partition of the relation gets rows, with n_groups = 0 when none of its subgroups is usable. -#}
{% macro inequality_concentration_index(relation, partition_by, confidence=0.95, se_method='analytic',
                                        lower_bound=0, upper_bound=none) -%}
    {{ return(adapter.dispatch('inequality_concentration_index', 'equity_qi')(
        relation, partition_by, confidence, se_method, lower_bound, upper_bound
    )) }}
{%- endmacro %}


{% macro default__inequality_concentration_index(relation, partition_by, confidence=0.95, se_method='analytic',
                                                 lower_bound=0, upper_bound=none) -%}
    {%- if se_method not in ['analytic', 'regression', 'kakwani'] -%}
        {{ exceptions.raise_compiler_error(
            "inequality_concentration_index: se_method must be 'analytic', 'regression' or 'kakwani', got "
            ~ se_method
        ) }}
    {%- endif -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_list = partition_columns | join(', ') -%}
    {%- set partition_select = partition_list ~ ', ' if partition_columns else '' -%}
    {%- set over_partition = 'partition by ' ~ partition_list if partition_columns else '' -%}
    {%- set group_by_partition = 'group by ' ~ partition_list if partition_columns else '' -%}
    {%- set lower_sql = '0' if lower_bound is none else lower_bound | string -%}
    {%- set upper_sql = 'max(indicator_scale)' if upper_bound is none else upper_bound | string -%}
    {%- set z = z_value(confidence) -%}
    {%- set measures = ['aci', 'rci', 'rci_wagstaff', 'rci_erreygers'] -%}
    with

    comparisons as (
        {%- if partition_columns %}
        select distinct {{ partition_list }}
        from {{ relation }}
        {%- else %}
        select 1 as whole_relation
        {%- endif %}
    ),

    kept_subgroups as (
        select
            {{ partition_select }}
            subgroup_order,
            cast(estimate as double) as estimate,
            cast(se as double) as se,
            cast(population as double) as population,
            cast(indicator_scale as double) as indicator_scale
        from {{ relation }}
        where estimate is not null and population > 0
    ),

    subgroup_shares as (
        select
            *,
            population / sum(population) over ({{ over_partition }}) as population_share,
            sum(population) over ({{ over_partition }}) as total_population
        from kept_subgroups
    ),

    -- cumulative sums through the current tie group (range frame) less half (ridit) or all (before) of the group
    subgroup_ranks as (
        select
            *,
            sum(population_share) over (
                {{ over_partition }} order by subgroup_order range between unbounded preceding and current row
            ) - sum(population_share) over (partition by {{ partition_select }}subgroup_order) / 2 as ridit,
            sum(population_share * estimate) over (
                {{ over_partition }} order by subgroup_order range between unbounded preceding and current row
            ) as weighted_estimate_through,
            sum(population_share * estimate) over (
                {{ over_partition }} order by subgroup_order range between unbounded preceding and current row
            ) - sum(population_share * estimate) over (partition by {{ partition_select }}subgroup_order)
                as weighted_estimate_before
        from subgroup_shares
    ),

    subgroup_partition_means as (
        select
            *,
            sum(population_share * estimate) over ({{ over_partition }}) as mean_estimate,
            sum(population_share * (2 * ridit - 1) * estimate) over ({{ over_partition }}) as aci,
            sum(population_share * power(ridit - 0.5, 2)) over ({{ over_partition }}) as ridit_variance
        from subgroup_ranks
    ),

    subgroup_partition_rci as (
        select
            *,
            {{ safe_divide('aci', 'mean_estimate') }} as rci
        from subgroup_partition_means
    ),

    subgroup_variance_terms as (
        select
            *,
            power(population_share * se * (2 * ridit - 1), 2) as analytic_aci_variance_term,
            power(population_share * se * ((2 * ridit - 1) - rci), 2) as analytic_rci_variance_term,
            population_share * power(
                2 * ridit_variance * (estimate / nullif(mean_estimate, 0) - 1) - rci * (ridit - 0.5), 2
            ) as regression_squared_residual,
            population_share * power(
                (estimate * (2 * ridit - 1 - rci) - weighted_estimate_before - weighted_estimate_through)
                    / nullif(mean_estimate, 0)
                + 2,
                2
            ) as kakwani_squared_a,
            power(population_share * coalesce(se, 0) * ((2 * ridit - 1) - rci), 2) as within_group_variance_term
        from subgroup_partition_rci
    ),

    partition_sums as (
        select
            {{ partition_select }}
            cast(count(*) as integer) as n_groups,
            count(subgroup_order) as n_ordered,
            count(se) as n_with_se,
            max(total_population) as total_population,
            max(mean_estimate) as mean_estimate,
            max(aci) as aci,
            max(rci) as rci,
            max(ridit_variance) as ridit_variance,
            sum(analytic_aci_variance_term) as analytic_aci_variance,
            sum(analytic_rci_variance_term) as analytic_rci_variance_numerator,
            sum(regression_squared_residual) as regression_rss,
            sum(kakwani_squared_a) as kakwani_sum_squared_a,
            sum(within_group_variance_term) as within_group_variance_numerator,
            min(estimate) as min_estimate,
            max(estimate) as max_estimate,
            cast({{ lower_sql }} as double) as lower_bound,
            cast({{ upper_sql }} as double) as upper_bound
        from subgroup_variance_terms
        {{ group_by_partition }}
    ),

    partition_variances as (
        select
            *,
            n_groups >= 2 and n_ordered = n_groups as is_ordered_comparison,
            upper_bound > lower_bound and min_estimate >= lower_bound and max_estimate <= upper_bound
                as is_within_bounds,
            case when n_with_se = n_groups then analytic_aci_variance end as analytic_aci_var,
            case
                when n_with_se = n_groups
                    then analytic_rci_variance_numerator / power(nullif(mean_estimate, 0), 2)
            end as analytic_rci_var,
            case
                when n_groups >= 3 then regression_rss / ((n_groups - 2) * nullif(ridit_variance, 0))
            end as regression_rci_var,
            (kakwani_sum_squared_a - power(1 + rci, 2)) / total_population
                + within_group_variance_numerator / power(nullif(mean_estimate, 0), 2) as kakwani_rci_var
        from partition_sums
    ),

    -- the Kakwani variance is a weighted variance plus a sum of squares: clamp rounding error below 0
    partition_standard_errors as (
        select
            *,
            {%- if se_method == 'analytic' %}
            sqrt(analytic_aci_var) as aci_se,
            sqrt(analytic_rci_var) as rci_se
            {%- elif se_method == 'regression' %}
            abs(mean_estimate) * sqrt(regression_rci_var) as aci_se,
            sqrt(regression_rci_var) as rci_se
            {%- else %}
            abs(mean_estimate) * sqrt(case when kakwani_rci_var < 0 then 0 else kakwani_rci_var end) as aci_se,
            sqrt(case when kakwani_rci_var < 0 then 0 else kakwani_rci_var end) as rci_se
            {%- endif %}
        from partition_variances
    ),

    concentration_indices as (
        select
            {{ partition_select }}
            n_groups,
            case when is_ordered_comparison then aci end as aci_estimate,
            case when is_ordered_comparison then aci_se end as aci_se,
            case when is_ordered_comparison then rci end as rci_estimate,
            case when is_ordered_comparison then rci_se end as rci_se,
            case
                when is_ordered_comparison and is_within_bounds
                    then (upper_bound - lower_bound) * aci
                        / nullif((upper_bound - mean_estimate) * (mean_estimate - lower_bound), 0)
            end as rci_wagstaff_estimate,
            case
                when is_ordered_comparison and is_within_bounds
                    then abs((upper_bound - lower_bound) * mean_estimate
                        / nullif((upper_bound - mean_estimate) * (mean_estimate - lower_bound), 0)) * rci_se
            end as rci_wagstaff_se,
            case
                when is_ordered_comparison and is_within_bounds then 4 * aci / nullif(upper_bound - lower_bound, 0)
            end as rci_erreygers_estimate,
            case
                when is_ordered_comparison and is_within_bounds
                    then abs(4 * mean_estimate / nullif(upper_bound - lower_bound, 0)) * rci_se
            end as rci_erreygers_se
        from partition_standard_errors
    ),

    comparison_indices as (
        select
            {%- for column in partition_columns %}
            comparisons.{{ column }},
            {%- endfor %}
            coalesce(concentration_indices.n_groups, 0) as n_groups,
            {%- for measure in measures %}
            concentration_indices.{{ measure }}_estimate,
            concentration_indices.{{ measure }}_se{{ ',' if not loop.last }}
            {%- endfor %}
        from comparisons
        left join concentration_indices
            on {% for column in partition_columns -%}
                comparisons.{{ column }} = concentration_indices.{{ column }}{{ ' and ' if not loop.last }}
            {%- else -%}
                1 = 1
            {%- endfor %}
    )

    {{ inequality_measure_rows('comparison_indices', partition_select, measures, z) }}
{%- endmacro %}
