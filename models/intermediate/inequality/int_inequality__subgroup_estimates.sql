-- The subgroup estimates every inequality measure starts from (the input contract of the macros in
-- macros/inequality/), one row per (indicator, period end, geography, dimension, subgroup), from the public rate mart.
-- Dimensions: IMD quintile and decile (ordered: subgroup_order 1 = most deprived) and ethnicity in 5 and 16 groups
-- (not ordered). Subgroups with unknown position (no LSOA, ethnicity not recorded or not stated) are left out: they
-- have no place on a deprivation gradient and are not an ethnic group. Standard errors: for proportions the one rule
-- of macro proportion_standard_error (the larger of the binomial SE and the Wilson half-width over z, non-zero at
-- 0% and 100%); for means SD / sqrt(n).
-- A subgroup below the suppression minimum (var inequality_min_subgroup_denominator) is kept with
-- is_below_minimum, so the marts can count it and say why a measure is missing.
with

indicators as (

    select
        indicator_id,
        value_type,
        polarity
    from {{ ref('ref_indicators') }}

),

periods as (

    select
        period_end,
        is_qof_year_end
    from {{ ref('int_calendar__indicator_periods') }}

),

rates as (

    select
        indicator_id,
        period_end,
        geography_level,
        geography_code,
        dimension,
        stratum,
        numerator,
        denominator,
        value,
        ci_lower,
        ci_upper,
        standard_deviation
    from {{ ref('int_indicators__rates') }}
    where
        dimension in ('imd_quintile', 'imd_decile', 'ethnicity_group_5', 'ethnicity_group_16')
        and stratum not in ('Unknown', 'Not recorded', 'Not stated')
        and denominator > 0

)

select
    rates.indicator_id,
    rates.period_end,
    periods.is_qof_year_end,
    rates.geography_level,
    rates.geography_code,
    rates.dimension,
    rates.stratum,
    rates.dimension in ('imd_quintile', 'imd_decile') as is_ordered_dimension,
    case
        when rates.dimension in ('imd_quintile', 'imd_decile') then cast(rates.stratum as {{ dbt.type_int() }})
    end as subgroup_order,
    case rates.dimension when 'imd_quintile' then 5 when 'imd_decile' then 10 end as expected_groups,
    indicators.value_type,
    cast(rates.value as {{ type_double() }}) as estimate,
    cast(
        case
            when indicators.value_type = 'mean'
                then rates.standard_deviation / sqrt(cast(rates.denominator as {{ type_double() }}))
            else {{ proportion_standard_error('rates.numerator', 'rates.denominator') }}
        end as {{ type_double() }}
    ) as se,
    cast(rates.ci_lower as {{ type_double() }}) as lower_cl,
    cast(rates.ci_upper as {{ type_double() }}) as upper_cl,
    cast(rates.numerator as {{ type_double() }}) as numerator,
    cast(rates.denominator as {{ type_double() }}) as population,
    indicators.polarity = 'higher_is_better' as is_favourable,
    cast(1 as {{ type_double() }}) as indicator_scale,
    false as is_reference,
    rates.denominator < {{ var('inequality_min_subgroup_denominator') }} as is_below_minimum
from rates
inner join indicators
    on rates.indicator_id = indicators.indicator_id
inner join periods
    on rates.period_end = periods.period_end
