-- Inequality measures for every indicator, period end, geography and breakdown (seed ref_inequality_measures lists
-- them with their sign conventions). Practice rows are within-practice inequality: each practice's own patients.
-- Every year end gets the full set (ordered: IMD quintile and decile; not ordered: ethnicity 5 and 16 groups); every
-- month end gets the SII, RII and gaps by IMD quintile, the series SPC charts need (fct_spc).
-- Reliability (vars inequality_min_subgroup_denominator, inequality_reliable_min_denominator): a subgroup below the
-- minimum is never used. An ordered breakdown then gets no estimate at all (a gradient needs every group), a
-- non-ordered one drops the subgroup and counts it; estimates from any subgroup below the reliable minimum, or
-- with dropped subgroups, are flagged. Every applicable measure has a row, estimated or not, with the reason.
{%- set partition_by = ['indicator_id', 'period_end', 'geography_level', 'geography_code', 'dimension'] %}
{%- set min_reliable = var('inequality_reliable_min_denominator') %}
with

subgroups as (

    select * from {{ ref('int_inequality__subgroup_estimates') }}

),

measures as (

    select
        measure,
        dimension_type,
        value_types,
        frequency
    from {{ ref('ref_inequality_measures') }}

),

partitions as (

    select
        {{ partition_by | join(',\n        ') }},
        max(value_type) as value_type,
        max(case when is_qof_year_end then 1 else 0 end) = 1 as is_qof_year_end,
        max(case when is_ordered_dimension then 1 else 0 end) = 1 as is_ordered_dimension,
        max(expected_groups) as expected_groups,
        sum(case when is_below_minimum then 0 else 1 end) as n_groups,
        sum(case when is_below_minimum then 1 else 0 end) as n_groups_excluded,
        sum(case when is_below_minimum then 0 else population end) as denominator,
        min(case when is_below_minimum then null else population end) as min_subgroup_denominator
    from subgroups
    group by {{ partition_by | join(', ') }}

),

-- Which partitions each measure family is computed for: ordered breakdowns only with every group present and above
-- the minimum; at month ends only IMD quintiles.
estimable_partitions as (

    select
        {{ partition_by | join(',\n        ') }},
        is_qof_year_end,
        is_ordered_dimension,
        value_type
    from partitions
    where
        (is_ordered_dimension and n_groups = expected_groups and n_groups_excluded = 0)
        or (not is_ordered_dimension and n_groups >= 2)

),

usable_subgroups as (

    select subgroups.*
    from subgroups
    inner join estimable_partitions
        on
        {%- for column in partition_by %}
            {{ 'and ' if not loop.first }}subgroups.{{ column }} = estimable_partitions.{{ column }}
        {%- endfor %}
    where not subgroups.is_below_minimum

),

ordered_series as (

    select * from usable_subgroups
    where is_ordered_dimension and (is_qof_year_end or dimension = 'imd_quintile')

),

ordered_series_proportions as (

    select * from ordered_series
    where value_type = 'proportion'

),

ordered_series_means as (

    select * from ordered_series
    where value_type = 'mean'

),

ordered_year_ends as (

    select * from usable_subgroups
    where is_ordered_dimension and is_qof_year_end

),

ordered_year_end_proportions as (

    select * from ordered_year_ends
    where value_type = 'proportion'

),

non_ordered_year_ends as (

    select * from usable_subgroups
    where not is_ordered_dimension and is_qof_year_end

),

estimates as (

    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_sii_phe('ordered_series_proportions', partition_by, value_type=2) }}) as sii_proportions
    union all
    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_sii_phe('ordered_series_means', partition_by, value_type=0) }}) as sii_means
    union all
    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_gap('ordered_series', partition_by) }}) as gaps_ordered
    union all
    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_sii_logistic('ordered_year_end_proportions', partition_by) }}) as sii_logistic
    union all
    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_concentration_index('ordered_year_ends', partition_by) }}) as concentration
    union all
    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_attributable('ordered_year_ends', partition_by) }}) as attributable_ordered
    union all
    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_gap('non_ordered_year_ends', partition_by) }}) as gaps_non_ordered
    union all
    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_attributable('non_ordered_year_ends', partition_by) }}) as attributable_non_ordered
    union all
    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_between_group_variance('non_ordered_year_ends', partition_by) }}) as variance
    union all
    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_mean_difference('non_ordered_year_ends', partition_by) }}) as mean_differences
    union all
    select {{ partition_by | join(', ') }}, measure, estimate, se, ci_lower, ci_upper
    from ({{ inequality_theil('non_ordered_year_ends', partition_by) }}) as theil

),

-- Every measure that applies to each partition (by dimension type, value type and period), estimated or not.
applicable as (

    select
        {%- for column in partition_by %}
        partitions.{{ column }},
        {%- endfor %}
        partitions.value_type,
        partitions.is_ordered_dimension,
        partitions.expected_groups,
        partitions.n_groups,
        partitions.n_groups_excluded,
        partitions.denominator,
        partitions.min_subgroup_denominator,
        measures.measure
    from partitions
    inner join measures
        on
            (
                measures.dimension_type = 'any'
                or (measures.dimension_type = 'ordered' and partitions.is_ordered_dimension)
                or (measures.dimension_type = 'non_ordered' and not partitions.is_ordered_dimension)
            )
            and {{ dbt.position('partitions.value_type', 'measures.value_types') }} > 0
            and (
                partitions.is_qof_year_end
                or (measures.frequency = 'monthly' and partitions.dimension = 'imd_quintile')
            )

)

select
    {%- for column in partition_by %}
    applicable.{{ column }},
    {%- endfor %}
    applicable.measure,
    cast(estimates.estimate as {{ type_double() }}) as estimate,
    cast(estimates.se as {{ type_double() }}) as se,
    cast(estimates.ci_lower as {{ type_double() }}) as ci_lower,
    cast(estimates.ci_upper as {{ type_double() }}) as ci_upper,
    cast(applicable.n_groups as {{ dbt.type_int() }}) as n_groups,
    cast(applicable.n_groups_excluded as {{ dbt.type_int() }}) as n_groups_excluded,
    cast(applicable.denominator as {{ dbt.type_bigint() }}) as denominator,
    cast(applicable.min_subgroup_denominator as {{ dbt.type_bigint() }}) as min_subgroup_denominator,
    coalesce(
        estimates.estimate is not null
        and applicable.n_groups_excluded = 0
        and applicable.min_subgroup_denominator >= {{ min_reliable }},
        false
    ) as is_reliable,
    case
        -- a quintile or decile missing, or below the minimum
        when applicable.is_ordered_dimension and applicable.n_groups < applicable.expected_groups
            then 'suppressed_incomplete_gradient'
        when applicable.n_groups < 2 then 'too_few_subgroups'
        when estimates.estimate is null then 'not_estimable'
        when applicable.n_groups_excluded > 0 then 'small_subgroups_excluded'
        when applicable.min_subgroup_denominator < {{ min_reliable }} then 'small_subgroup'
        else 'reliable'
    end as reliability
from applicable
left join estimates
    on
        {%- for column in partition_by %}
        applicable.{{ column }} = estimates.{{ column }} and
        {%- endfor %}
        applicable.measure = estimates.measure
