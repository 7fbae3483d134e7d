{#- SELECT (the building block of inequality_sii_phe, also used on its own to read the intercept): PHE phe_sii's
    weighted least-squares fit (PHEindicatormethods 2.1.0, metrics.md section 1.7), one row per partition of
    `relation` (the subgroup contract of macros/inequality: subgroup_order 1 = most deprived .. K, estimate, se,
    population, indicator_scale), with the partition columns and
      n_groups           (integer) usable subgroups: estimate not NULL and population > 0 (others are ignored);
      beta0, beta1       (double) intercept and slope of the WLS of Y on the ridit b with weights a, where
                         a_k = population share, b_k = (population before k + half of k's) / total, and Y is the
                         subgroup's value (transform = false) or its ln / logit (transform = true):
                         beta1 = sum a (b - b_mean)(Y - Y_mean) / sum a (b - b_mean)^2, beta0 = Y_mean - beta1 b_mean
                         (two passes of windowed sums, no regr_* functions);
      var_beta0, var_beta1, cov_beta01
                         (double) their sampling (co)variances from the subgroup SEs s_k of Y, both coefficients being
                         linear in Y: beta1 = sum k Y, beta0 = sum h Y with k = a (b - b_mean) / sum a (b - b_mean)^2
                         and h = a - b_mean k, so var_beta1 = sum k^2 s^2, var_beta0 = sum h^2 s^2,
                         cov_beta01 = sum h k s^2;
      intercept          (double) PHE's reported intercept: beta0 when transform = false (unscaled), else
                         g(beta0) * |multiplier| (g = exp for rates, expit for proportions).
    The value and its SE by value_type (compile-time; PHE's argument of the same name):
      0 normal      Y = estimate; s = se, else (upper - lower) / (2 z_0.975) from the limit columns.
      1 rate        transform = true: Y = ln(estimate) and s = the SE of ln(estimate);
                    transform = false: Y = estimate and s = its SE (PHE's delta method, estimate x SE of the ln).
      2 proportion  as for rates on p = estimate / indicator_scale (0..1, as PHE requires) with logit / expit and
                    the factor p (1 - p); the se and the limit columns are divided by indicator_scale too.
    `se_scale` (compile-time) says what the se column holds: 'estimate' (default; the contract: the SE of the
    estimate on its own scale, converted by the delta method where needed, se / estimate for the ln,
    se / (p (1 - p)) for the logit) or 'transformed' (PHE's convention: for value types 1 and 2 the se is already the
    SE of the ln / logit, as in PHE's test vectors). `limit_columns` (optional, [lower, upper] column names of the
    subgroup's 95% confidence limits on the estimate's scale): used for a subgroup whose se is NULL; as PHE, the SE of
    the transformed value is (g(upper) - g(lower)) / (2 z_0.975) with g = identity, ln or logit, so a rate's or a
    proportion's limits always pass through the ln / logit, whatever `transform` says.
    NULL rules: beta0, beta1, the variances and the intercept are NULL unless the usable subgroups of the partition
    have subgroup_order exactly 1..K (no gap, no duplicate, no NULL order) with 5 <= K <= 100 (PHE), and every value
    is in its type's domain (rate >= 0, proportion 0..1, and strictly positive / strictly inside (0, 1) when the
    value is transformed; a proportion also needs indicator_scale > 0). PHE instead requires every area to have every
    quantile found anywhere in the data. The variances are NULL when any usable subgroup has no SE (se NULL and no
    usable limits). Every partition of the relation gets a row (n_groups = 0 when no subgroup is usable). Partition
    columns must not be NULL (the contract; rows with NULL partition values would form one partition) nor be named
    like the contract's columns. `partition_by`: a column name or a list of them (none or [] for the whole
    relation). CTE names start with sii_phe__ (avoid them for `relation`). -#}
{% macro inequality_sii_phe_fit(relation, partition_by, value_type=0, transform=false, multiplier=1,
                                se_scale='estimate', limit_columns=none) -%}
    {{ return(adapter.dispatch('inequality_sii_phe_fit', 'equity_qi')(
        relation, partition_by, value_type, transform, multiplier, se_scale, limit_columns
    )) }}
{%- endmacro %}


{% macro default__inequality_sii_phe_fit(relation, partition_by, value_type=0, transform=false, multiplier=1,
                                         se_scale='estimate', limit_columns=none) -%}
    {%- if value_type not in [0, 1, 2] -%}
        {{ exceptions.raise_compiler_error(
            "inequality_sii_phe_fit: value_type must be 0 (normal), 1 (rate) or 2 (proportion), got " ~ value_type
        ) }}
    {%- endif -%}
    {%- if transform is not boolean or (transform and value_type == 0) -%}
        {{ exceptions.raise_compiler_error(
            "inequality_sii_phe_fit: transform must be true or false, and true only for value_type 1 or 2, got "
            ~ transform ~ " with value_type " ~ value_type
        ) }}
    {%- endif -%}
    {%- if multiplier is not number or multiplier is boolean or multiplier == 0 -%}
        {{ exceptions.raise_compiler_error(
            "inequality_sii_phe_fit: multiplier must be a non-zero number, got " ~ multiplier
        ) }}
    {%- endif -%}
    {%- if se_scale not in ['estimate', 'transformed'] -%}
        {{ exceptions.raise_compiler_error(
            "inequality_sii_phe_fit: se_scale must be 'estimate' or 'transformed', got " ~ se_scale
        ) }}
    {%- endif -%}
    {%- if limit_columns is not none and (limit_columns is string or (limit_columns | list | length) != 2) -%}
        {{ exceptions.raise_compiler_error(
            "inequality_sii_phe_fit: limit_columns must be none or [lower_column, upper_column], got "
            ~ limit_columns
        ) }}
    {%- endif -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_list = partition_columns | join(', ') -%}
    {%- set partition_select = partition_list ~ ', ' if partition_columns else '' -%}
    {%- set over_partition = 'partition by ' ~ partition_list if partition_columns else '' -%}
    {%- set group_by_partition = 'group by ' ~ partition_list if partition_columns else '' -%}
    {%- set usable = 'estimate is not null and population > 0' -%}
    {#- the estimate's scale: proportions are brought to 0..1 by indicator_scale -#}
    {%- set to_value_scale = ' / nullif(cast(indicator_scale as double), 0)' if value_type == 2 else '' -%}
    {%- set se_to_value_scale = to_value_scale if se_scale == 'estimate' else '' -%}
    {%- set two_z = '(2 * ' ~ z_value(0.95) ~ ')' -%}
    {#- link g(v), its domain, and dv/d(eta) = 1 / g'(v), as SQL templates on '@' -#}
    {%- if value_type == 1 -%}
        {%- set link = 'ln(@)' -%}
        {%- set link_domain = '@ > 0' -%}
        {%- set value_domain = 'value >= 0' -%}
        {%- set link_slope = 'value' -%}
    {%- elif value_type == 2 -%}
        {%- set link = 'ln(@ / (1 - @))' -%}
        {%- set link_domain = '@ > 0 and @ < 1' -%}
        {%- set value_domain = 'value >= 0 and value <= 1' -%}
        {%- set link_slope = 'value * (1 - value)' -%}
    {%- endif -%}
    with

    sii_phe__subgroups as (
        select
            {{ partition_select }}
            case when {{ usable }} then subgroup_order end as subgroup_order,
            case when {{ usable }} then 1 else 0 end as is_usable,
            case when {{ usable }} then cast(population as double) end as population,
            case when {{ usable }} then cast(estimate as double){{ to_value_scale }} end as value,
            case when {{ usable }} then cast(se as double){{ se_to_value_scale }} end as value_se,
            {%- if limit_columns is not none %}
            case when {{ usable }} then cast({{ limit_columns[0] }} as double){{ to_value_scale }} end as lower_limit,
            case when {{ usable }} then cast({{ limit_columns[1] }} as double){{ to_value_scale }} end as upper_limit
            {%- else %}
            cast(null as double) as lower_limit,
            cast(null as double) as upper_limit
            {%- endif %}
        from {{ relation }}
    ),

    -- regression_value = Y and regression_se = its SE; NULL Y marks a value outside its type's domain
    sii_phe__regression_inputs as (
        select
            {{ partition_select }}
            subgroup_order,
            is_usable,
            population,
            {%- if value_type == 0 %}
            value as regression_value,
            coalesce(value_se, (upper_limit - lower_limit) / {{ two_z }}) as regression_se
            {%- else %}
            {%- set limits_se = 'case when ' ~ link_domain | replace('@', 'lower_limit') ~ ' and '
                ~ link_domain | replace('@', 'upper_limit') ~ ' then ('
                ~ link | replace('@', 'upper_limit') ~ ' - ' ~ link | replace('@', 'lower_limit') ~ ') / '
                ~ two_z ~ ' end' %}
            {%- if transform %}
            case when {{ link_domain | replace('@', 'value') }} then {{ link | replace('@', 'value') }} end
                as regression_value,
            case when {{ link_domain | replace('@', 'value') }} then coalesce(
                {{ 'value_se' if se_scale == 'transformed' else 'value_se / (' ~ link_slope ~ ')' }},
                {{ limits_se }}
            ) end as regression_se
            {%- else %}
            case when {{ value_domain }} then value end as regression_value,
            case when {{ value_domain }} then coalesce(
                {{ 'value_se' if se_scale == 'estimate' else '(' ~ link_slope ~ ') * value_se' }},
                ({{ link_slope }}) * {{ limits_se }}
            ) end as regression_se
            {%- endif %}
            {%- endif %}
        from sii_phe__subgroups
    ),

    -- a = population share, b = ridit (mid-point of the cumulative population share)
    sii_phe__ridits as (
        select
            {{ partition_select }}
            subgroup_order,
            is_usable,
            regression_value,
            regression_se,
            population / sum(population) over ({{ over_partition }}) as population_share,
            (
                sum(population) over (
                    {{ over_partition }}
                    order by subgroup_order
                    rows between unbounded preceding and current row
                ) - population / 2
            ) / sum(population) over ({{ over_partition }}) as ridit
        from sii_phe__regression_inputs
    ),

    sii_phe__weighted_means as (
        select
            {{ partition_select }}
            subgroup_order,
            is_usable,
            regression_value,
            regression_se,
            population_share,
            ridit,
            sum(population_share * ridit) over ({{ over_partition }}) as ridit_mean,
            sum(population_share * regression_value) over ({{ over_partition }}) as value_mean
        from sii_phe__ridits
    ),

    -- k = the subgroup's weight in the slope: beta1 = sum k Y
    sii_phe__slope_weights as (
        select
            {{ partition_select }}
            subgroup_order,
            is_usable,
            regression_value,
            regression_se,
            population_share,
            ridit_mean,
            value_mean,
            population_share * (ridit - ridit_mean) / nullif(
                sum(population_share * (ridit - ridit_mean) * (ridit - ridit_mean)) over ({{ over_partition }}), 0
            ) as slope_weight
        from sii_phe__weighted_means
    ),

    -- h = population_share - ridit_mean * slope_weight, the subgroup's weight in the intercept
    sii_phe__coefficients as (
        select
            {{ partition_select }}
            count(subgroup_order) as n_ordered,
            sum(is_usable) as n_usable,
            case
                when sum(is_usable) between 5 and 100
                    and count(subgroup_order) = sum(is_usable)
                    and count(distinct subgroup_order) = sum(is_usable)
                    and min(subgroup_order) = 1
                    and max(subgroup_order) = sum(is_usable)
                    and count(regression_value) = sum(is_usable)
                    then 1
                else 0
            end as is_complete,
            case when count(regression_se) = sum(is_usable) then 1 else 0 end as has_all_se,
            sum(slope_weight * (regression_value - value_mean)) as beta1,
            max(value_mean) - sum(slope_weight * (regression_value - value_mean)) * max(ridit_mean) as beta0,
            sum(slope_weight * slope_weight * regression_se * regression_se) as var_beta1,
            sum(
                (population_share - ridit_mean * slope_weight) * (population_share - ridit_mean * slope_weight)
                * regression_se * regression_se
            ) as var_beta0,
            sum(
                (population_share - ridit_mean * slope_weight) * slope_weight * regression_se * regression_se
            ) as cov_beta01
        from sii_phe__slope_weights
        {{ group_by_partition }}
    ),

    sii_phe__complete_fits as (
        select
            {{ partition_select }}
            cast(n_usable as integer) as n_groups,
            case when is_complete = 1 then beta0 end as beta0,
            case when is_complete = 1 then beta1 end as beta1,
            case when is_complete = 1 and has_all_se = 1 then var_beta0 end as var_beta0,
            case when is_complete = 1 and has_all_se = 1 then var_beta1 end as var_beta1,
            case when is_complete = 1 and has_all_se = 1 then cov_beta01 end as cov_beta01
        from sii_phe__coefficients
    )

    select
        {{ partition_select }}
        n_groups,
        beta0,
        beta1,
        var_beta0,
        var_beta1,
        cov_beta01,
        {%- if not transform %}
        beta0 as intercept
        {%- elif value_type == 1 %}
        exp(beta0) * cast({{ multiplier | abs }} as double) as intercept
        {%- else %}
        cast({{ multiplier | abs }} as double) / (1 + exp(-beta0)) as intercept
        {%- endif %}
    from sii_phe__complete_fits
{%- endmacro %}
