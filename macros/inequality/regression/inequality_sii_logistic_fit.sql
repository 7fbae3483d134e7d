{#- SELECT (the building block of inequality_sii_logistic): the WHO HEAT / healthequal logistic model behind SII and
    RII (healthequal 1.0.1 sii.R / rii.R, HEAT-Measures calc-sii.R / calc-rii.R; metrics.md section 2), one row per
    partition of `relation` (the subgroup contract of macros/inequality), with the partition columns and
      n_groups        (integer) usable subgroups: estimate not NULL and population > 0 (others are ignored);
      indicator_scale (double) the partition's scale s (HEAT-Measures: the declared indicator_scale);
      beta0, beta1    (double) the binomial logit GLM of (y, n - y) on the ridit rank X with prior weights n, where
                      n = ceil(population), y = round(estimate / s * n) (R's round: halves to even) and
                      X = (population of the groups ordered before + half of the group's) / total, on the ceiled
                      populations (tied subgroup_order values share their tie group's mid-point, as healthequal).
                      As in R, weights = n on a response of n trials makes each subgroup's prior weight w = n^2.
      var_beta0, var_beta1, cov_beta01
                      (double) the HC1 sandwich covariance V = N / (N - 2) B M B (N = n_groups), with
                      B = (X'WX)^-1, W = w mu (1 - mu) and M = sum (w (y/n - mu))^2 x x' (x = (1, X)) at the fit.
    The fit is iteratively reweighted least squares (Newton's method for the canonical link) with a FIXED number of
    `iterations` (compile-time, default 25 = R's glm maxit), unrolled in Jinja into a chain of three CTEs per
    iteration (no recursive CTE): sii_logistic__irls_<i>_fitted (linear predictor eta and mu = expit(eta) per
    subgroup), _normal_equations (windowed sums of the 2 x 2 weighted least-squares system with working weights
    w mu (1 - mu) and working responses w mu (1 - mu) eta + w (y/n - mu)), and _coefficients (its solution). It
    starts, as R, from mu = (y + 0.5) / (n + 1). A well-posed fit converges to double precision in well under 25
    steps; under (quasi-)separation, e.g. y = 0 in every subgroup, the coefficients drift as R's do (R warns) and
    the result after the last step is returned.
    NULL rules: beta0, beta1 and V are NULL when the partition has fewer than 3 usable subgroups (HEAT: more than
    two subgroups), a usable subgroup has a NULL subgroup_order (non-ordered dimension), indicator_scale is NULL,
    <= 0 or differs between the partition's rows, or some y falls outside 0..n (an estimate below 0 or above the
    scale; healthequal returns NA there). Unlike healthequal, equal estimates in every subgroup are not an error:
    they give beta1 = 0 when every y / n is equal. Every partition of the relation gets a row (n_groups = 0 when no
    subgroup is usable). Partition columns must not be NULL (the contract) nor be named like the contract's columns.
    `partition_by`: a column name or a list of them (none or [] for the whole relation). CTE names start with
    sii_logistic__ (avoid them for `relation`). -#}
{% macro inequality_sii_logistic_fit(relation, partition_by, iterations=25) -%}
    {{ return(adapter.dispatch('inequality_sii_logistic_fit', 'equity_qi')(relation, partition_by, iterations)) }}
{%- endmacro %}


{% macro default__inequality_sii_logistic_fit(relation, partition_by, iterations=25) -%}
    {%- if iterations is not number or iterations is boolean or iterations < 1 or iterations != iterations | int -%}
        {{ exceptions.raise_compiler_error(
            "inequality_sii_logistic_fit: iterations must be a positive integer, got " ~ iterations
        ) }}
    {%- endif -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_list = partition_columns | join(', ') -%}
    {%- set partition_select = partition_list ~ ', ' if partition_columns else '' -%}
    {%- set over_partition = 'partition by ' ~ partition_list if partition_columns else '' -%}
    {%- set over_tie_group = 'partition by ' ~ (partition_columns + ['subgroup_order']) | join(', ') -%}
    {%- set group_by_partition = 'group by ' ~ partition_list if partition_columns else '' -%}
    {%- set usable = 'estimate is not null and population > 0' -%}
    {#- the per-subgroup columns every IRLS step carries along -#}
    {%- set row_columns = partition_select ~ 'is_usable, is_modelled, indicator_scale, ridit, prior_weight, '
        ~ 'observed_proportion' -%}
    {#- working weight w mu (1 - mu) and weighted working response (w mu (1 - mu) eta + w (y/n - mu)) of a row -#}
    {%- set working_weight = 'prior_weight * fitted_proportion * (1 - fitted_proportion)' -%}
    {%- set working_response = '(' ~ working_weight ~ ' * linear_predictor'
        ~ ' + prior_weight * (observed_proportion - fitted_proportion))' -%}
    with

    sii_logistic__subgroups as (
        select
            {{ partition_select }}
            case when {{ usable }} then 1 else 0 end as is_usable,
            case when {{ usable }} then subgroup_order end as subgroup_order,
            case when {{ usable }} then cast(ceil(cast(population as double)) as double) end as trials,
            case when {{ usable }} then cast(estimate as double) end as estimate,
            case when {{ usable }} then cast(indicator_scale as double) end as indicator_scale,
            case
                when {{ usable }}
                    then cast(estimate as double) / nullif(cast(indicator_scale as double), 0)
                    * cast(ceil(cast(population as double)) as double)
            end as expected_successes
        from {{ relation }}
    ),

    -- y = R's round(estimate / scale * n): halves go to the even neighbour (cast: Spark's floor and ceil give bigint)
    sii_logistic__successes as (
        select
            {{ partition_select }}
            is_usable,
            subgroup_order,
            trials,
            indicator_scale,
            cast(
                case
                    when expected_successes - floor(expected_successes) = 0.5
                        then floor(expected_successes)
                        + (floor(expected_successes) - 2 * floor(floor(expected_successes) / 2))
                    else floor(expected_successes + 0.5)
                end as double
            ) as successes
        from sii_logistic__subgroups
    ),

    -- ridit on the ceiled populations; tied orders share the mid-point of their tie group
    sii_logistic__ranks as (
        select
            {{ partition_select }}
            is_usable,
            case when subgroup_order is not null and successes >= 0 and successes <= trials then 1 else 0 end
                as is_modelled,
            subgroup_order,
            indicator_scale,
            (
                sum(trials) over (
                    {{ over_partition }}
                    order by subgroup_order
                    range between unbounded preceding and current row
                ) - sum(trials) over ({{ over_tie_group }}) / 2
            ) / sum(trials) over ({{ over_partition }}) as ridit,
            trials * trials as prior_weight,
            case
                when subgroup_order is not null and successes >= 0 and successes <= trials
                    then successes / trials
            end as observed_proportion,
            case
                when subgroup_order is not null and successes >= 0 and successes <= trials
                    then ln((successes + 0.5) / (trials - successes + 0.5))
            end as start_linear_predictor
        from sii_logistic__successes
    ),
    {%- for step in range(1, iterations + 1) %}
    {%- set previous = 'sii_logistic__irls_' ~ (step - 1) ~ '_coefficients' %}

    sii_logistic__irls_{{ step }}_fitted as (
        select
            {{ row_columns }},
            {%- set eta = 'start_linear_predictor' if step == 1 else '(beta0 + beta1 * ridit)' %}
            {{ eta }} as linear_predictor,
            1 / (1 + exp(-{{ eta }})) as fitted_proportion
        from {{ 'sii_logistic__ranks' if step == 1 else previous }}
    ),

    sii_logistic__irls_{{ step }}_normal_equations as (
        select
            {{ row_columns }},
            sum({{ working_weight }}) over ({{ over_partition }}) as weight_sum,
            sum({{ working_weight }} * ridit) over ({{ over_partition }}) as weighted_ridit_sum,
            sum({{ working_weight }} * ridit * ridit) over ({{ over_partition }}) as weighted_ridit_square_sum,
            sum({{ working_response }}) over ({{ over_partition }}) as response_sum,
            sum({{ working_response }} * ridit) over ({{ over_partition }}) as response_ridit_sum
        from sii_logistic__irls_{{ step }}_fitted
    ),

    sii_logistic__irls_{{ step }}_coefficients as (
        select
            {{ row_columns }},
            (weighted_ridit_square_sum * response_sum - weighted_ridit_sum * response_ridit_sum)
            / nullif(weight_sum * weighted_ridit_square_sum - weighted_ridit_sum * weighted_ridit_sum, 0) as beta0,
            (weight_sum * response_ridit_sum - weighted_ridit_sum * response_sum)
            / nullif(weight_sum * weighted_ridit_square_sum - weighted_ridit_sum * weighted_ridit_sum, 0) as beta1
        from sii_logistic__irls_{{ step }}_normal_equations
    ),
    {%- endfor %}

    sii_logistic__final_fitted as (
        select
            {{ row_columns }},
            beta0,
            beta1,
            1 / (1 + exp(-(beta0 + beta1 * ridit))) as fitted_proportion
        from sii_logistic__irls_{{ iterations }}_coefficients
    ),

    -- bread (X'WX) and meat (score outer products) of the sandwich, per partition
    sii_logistic__information as (
        select
            {{ partition_select }}
            sum(is_usable) as n_usable,
            case
                when sum(is_usable) >= 3
                    and sum(is_modelled) = sum(is_usable)
                    and min(indicator_scale) > 0
                    and min(indicator_scale) = max(indicator_scale)
                    then 1
                else 0
            end as is_fittable,
            max(indicator_scale) as indicator_scale,
            max(beta0) as beta0,
            max(beta1) as beta1,
            sum({{ working_weight }}) as weight_sum,
            sum({{ working_weight }} * ridit) as weighted_ridit_sum,
            sum({{ working_weight }} * ridit * ridit) as weighted_ridit_square_sum,
            sum(power(prior_weight * (observed_proportion - fitted_proportion), 2)) as score_square_sum,
            sum(power(prior_weight * (observed_proportion - fitted_proportion), 2) * ridit) as score_square_ridit_sum,
            sum(power(prior_weight * (observed_proportion - fitted_proportion), 2) * ridit * ridit)
                as score_square_ridit_square_sum
        from sii_logistic__final_fitted
        {{ group_by_partition }}
    ),

    -- B = (X'WX)^-1 = [[b00, b01], [b01, b11]]
    sii_logistic__bread as (
        select
            {{ partition_select }}
            n_usable,
            is_fittable,
            indicator_scale,
            beta0,
            beta1,
            score_square_sum,
            score_square_ridit_sum,
            score_square_ridit_square_sum,
            weighted_ridit_square_sum / nullif(
                weight_sum * weighted_ridit_square_sum - weighted_ridit_sum * weighted_ridit_sum, 0
            ) as b00,
            -weighted_ridit_sum / nullif(
                weight_sum * weighted_ridit_square_sum - weighted_ridit_sum * weighted_ridit_sum, 0
            ) as b01,
            weight_sum / nullif(
                weight_sum * weighted_ridit_square_sum - weighted_ridit_sum * weighted_ridit_sum, 0
            ) as b11,
            cast(n_usable as double) / nullif(n_usable - 2, 0) as hc1_factor
        from sii_logistic__information
    )

    select
        {{ partition_select }}
        cast(n_usable as integer) as n_groups,
        case when is_fittable = 1 then indicator_scale end as indicator_scale,
        case when is_fittable = 1 then beta0 end as beta0,
        case when is_fittable = 1 then beta1 end as beta1,
        case
            when is_fittable = 1
                then hc1_factor * (
                    b00 * b00 * score_square_sum
                    + 2 * b00 * b01 * score_square_ridit_sum
                    + b01 * b01 * score_square_ridit_square_sum
                )
        end as var_beta0,
        case
            when is_fittable = 1
                then hc1_factor * (
                    b01 * b01 * score_square_sum
                    + 2 * b01 * b11 * score_square_ridit_sum
                    + b11 * b11 * score_square_ridit_square_sum
                )
        end as var_beta1,
        case
            when is_fittable = 1
                then hc1_factor * (
                    b00 * b01 * score_square_sum
                    + (b00 * b11 + b01 * b01) * score_square_ridit_sum
                    + b01 * b11 * score_square_ridit_square_sum
                )
        end as cov_beta01
    from sii_logistic__bread
{%- endmacro %}
