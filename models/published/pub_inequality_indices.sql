-- Inequality indices for BI (published.inequality_indices): fct_inequality_indices, computed on the exact counts,
-- published only where every stratum they rest on is published. An index is withheld (NULL estimate, standard
-- error and interval, suppression_reason 'stratum suppressed') when any known stratum of its breakdown (the same
-- indicator, period, geography and dimension; 'Unknown', 'Not recorded' and 'Not stated' have no place on a
-- gradient and are never used) is withheld in published.indicator_rates, for a small count or as a complement: a
-- gap or an index over published strata and one withheld stratum could give that stratum away. An index the mart
-- already leaves empty keeps its reliability as the reason. Person counts are rounded to the nearest 5.
with

indices as (

    select
        indicator_id,
        period_end,
        geography_level,
        geography_code,
        dimension,
        measure,
        estimate,
        se,
        ci_lower,
        ci_upper,
        n_groups,
        n_groups_excluded,
        denominator,
        min_subgroup_denominator,
        is_reliable,
        reliability
    from {{ ref('fct_inequality_indices') }}

),

-- breakdowns with a known stratum withheld from published.indicator_rates
withheld_breakdowns as (

    select distinct
        indicator_id,
        period_end,
        geography_level,
        geography_code,
        dimension
    from {{ ref('pub_indicator_rates') }}
    where
        suppression_reason is not null
        and stratum not in ('Unknown', 'Not recorded', 'Not stated')
        and dimension in (select distinct indices.dimension from indices)

),

flagged as (

    select
        indices.*,
        withheld_breakdowns.dimension is not null as has_withheld_stratum
    from indices
    left join withheld_breakdowns
        on
            indices.indicator_id = withheld_breakdowns.indicator_id
            and indices.period_end = withheld_breakdowns.period_end
            and indices.geography_level = withheld_breakdowns.geography_level
            and indices.geography_code = withheld_breakdowns.geography_code
            and indices.dimension = withheld_breakdowns.dimension

),

published as (

    select
        indicator_id,
        period_end,
        geography_level,
        geography_code,
        dimension,
        measure,
        cast(case when not has_withheld_stratum then estimate end as {{ type_double() }}) as estimate,
        cast(case when not has_withheld_stratum then se end as {{ type_double() }}) as se,
        cast(case when not has_withheld_stratum then ci_lower end as {{ type_double() }}) as ci_lower,
        cast(case when not has_withheld_stratum then ci_upper end as {{ type_double() }}) as ci_upper,
        n_groups as groups_used,
        n_groups_excluded as groups_excluded,
        {{ sdc_rounded_count('denominator') }} as denominator,
        {{ sdc_rounded_count('min_subgroup_denominator', 'has_withheld_stratum') }} as min_subgroup_patient_count,
        is_reliable,
        reliability,
        cast(
            case
                when has_withheld_stratum then 'stratum suppressed'
                when estimate is null then reliability
            end as {{ dbt.type_string() }}
        ) as suppression_reason
    from flagged

)

select * from published
