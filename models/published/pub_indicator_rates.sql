-- Indicator rates by stratum for BI (published.indicator_rates): fct_indicator_rates under statistical disclosure
-- control. A row is suppressed when its denominator, or for a proportion its numerator or non-achievers
-- (denominator - numerator), counts 1 to 7 patients (macro sdc_is_redacted), and complementary suppression then
-- withholds more rows so that none of these can be recovered from the rows it adds up with (macro
-- complementary_suppression). The additive groups: the strata of each breakdown and the breakdown's overall row
-- (one geography, indicator and period end); the practices of a PCN, the PCNs of a borough and the boroughs of the
-- ICB with their area's row (one breakdown stratum); the IMD deciles of a quintile, the 16 ethnic categories of a
-- group of 5, the quintile x ethnic group cells of a quintile and of an ethnic group, and the quintiles of Core20 /
-- Not Core20 (nested breakdowns). A suppressed row has NULL counts, rate and interval, and its suppression_reason;
-- published counts are rounded to the nearest 5 (macro sdc_rounded_count). The exclusion counts stay in the marts.
with

rates as (

    select
        indicator_id,
        period_end,
        geography_level,
        geography_code,
        dimension,
        stratum,
        value_type,
        numerator,
        denominator,
        value,
        ci_lower,
        ci_upper
    from {{ ref('fct_indicator_rates') }}

),

cells as (

    select
        row_number() over (
            order by
                rates.indicator_id, rates.period_end, rates.geography_level, rates.geography_code, rates.dimension,
                rates.stratum
        ) as cell_id,
        rates.*,
        rates.denominator as cell_value,
        coalesce(
            {{ sdc_is_redacted('rates.denominator') }}
            or (
                rates.value_type = 'proportion'
                and (
                    {{ sdc_is_redacted('rates.numerator') }}
                    or {{ sdc_is_redacted('rates.denominator - rates.numerator') }}
                )
            ),
            false
        ) as is_primary
    from rates

),

suppression_cells as (

    select
        cell_id,
        cell_value as value,
        is_primary
    from cells

),

-- the areas each geography adds up to
geography_parents as (

    select distinct
        'practice' as geography_level,
        practice_code as geography_code,
        'pcn' as parent_level,
        pcn_code as parent_code
    from {{ ref('dim_practice') }}
    union all
    select distinct
        'pcn' as geography_level,
        pcn_code as geography_code,
        'borough' as parent_level,
        borough_code as parent_code
    from {{ ref('dim_practice') }}
    union all
    select distinct
        'borough' as geography_level,
        borough_code as geography_code,
        'icb' as parent_level,
        icb_code as parent_code
    from {{ ref('dim_practice') }}

),

-- the nested breakdowns: each stratum and the stratum of a coarser breakdown it is part of
stratum_parents as (

    {{ nested_breakdown_strata('cells') }}

),

dimension_codes as (

    select
        dimension,
        row_number() over (order by dimension) as dimension_code
    from (select distinct dimension from cells) as dimensions

),

-- each part cell and the total it adds up to, with the kind of group: a breakdown's strata and its overall row
-- (10 + the breakdown's code), an area's practices or smaller areas and its row (1), a coarser stratum's parts
-- (50 + the parts' breakdown code)
breakdown_links as (

    select
        parts.cell_id as part_id,
        totals.cell_id as total_id,
        10 + dimension_codes.dimension_code as group_kind
    from cells as parts
    inner join cells as totals
        on
            parts.indicator_id = totals.indicator_id
            and parts.period_end = totals.period_end
            and parts.geography_level = totals.geography_level
            and parts.geography_code = totals.geography_code
            and totals.dimension = 'overall'
    inner join dimension_codes
        on parts.dimension = dimension_codes.dimension
    where parts.dimension != 'overall'

),

geography_links as (

    select
        parts.cell_id as part_id,
        totals.cell_id as total_id,
        1 as group_kind
    from cells as parts
    inner join geography_parents as parents
        on
            parts.geography_level = parents.geography_level
            and parts.geography_code = parents.geography_code
    inner join cells as totals
        on
            parts.indicator_id = totals.indicator_id
            and parts.period_end = totals.period_end
            and parents.parent_level = totals.geography_level
            and parents.parent_code = totals.geography_code
            and parts.dimension = totals.dimension
            and parts.stratum = totals.stratum

),

nested_links as (

    select
        parts.cell_id as part_id,
        totals.cell_id as total_id,
        50 + dimension_codes.dimension_code as group_kind
    from cells as parts
    inner join stratum_parents as parents
        on
            parts.dimension = parents.dimension
            and parts.stratum = parents.stratum
    inner join cells as totals
        on
            parts.indicator_id = totals.indicator_id
            and parts.period_end = totals.period_end
            and parts.geography_level = totals.geography_level
            and parts.geography_code = totals.geography_code
            and parents.parent_dimension = totals.dimension
            and parents.parent_stratum = totals.stratum
    inner join dimension_codes
        on parts.dimension = dimension_codes.dimension

),

links as (

    select * from breakdown_links
    union all
    select * from geography_links
    union all
    select * from nested_links

),

-- one integer per group (its total's cell and kind), so the passes of the suppression sort integers, not text
members as (

    select
        total_id * 100 + group_kind as group_id,
        part_id as cell_id,
        false as is_total
    from links
    union all
    select distinct
        total_id * 100 + group_kind as group_id,
        total_id as cell_id,
        true as is_total
    from links

),

suppression as (

    {{ complementary_suppression('suppression_cells', 'members', passes=12) }}

),

published as (

    select
        cast(cells.indicator_id as {{ dbt.type_string() }}) as indicator_id,
        cells.period_end,
        cast(cells.geography_level as {{ dbt.type_string() }}) as geography_level,
        cast(cells.geography_code as {{ dbt.type_string() }}) as geography_code,
        cast(cells.dimension as {{ dbt.type_string() }}) as dimension,
        cast(cells.stratum as {{ dbt.type_string() }}) as stratum,
        cast(cells.value_type as {{ dbt.type_string() }}) as value_type,
        cast(
            case
                when suppression.is_suppressed then null
                when cells.value_type = 'proportion' then {{ sdc_rounded_count('cells.numerator') }}
                else cells.numerator
            end as {{ type_double() }}
        ) as numerator,
        {{ sdc_rounded_count('cells.denominator', 'suppression.is_suppressed') }} as denominator,
        cast(case when not suppression.is_suppressed then cells.value end as {{ type_double() }}) as value,
        cast(case when not suppression.is_suppressed then cells.ci_lower end as {{ type_double() }}) as ci_lower,
        cast(case when not suppression.is_suppressed then cells.ci_upper end as {{ type_double() }}) as ci_upper,
        cast(suppression.suppression_reason as {{ dbt.type_string() }}) as suppression_reason
    from cells
    inner join suppression
        on cells.cell_id = suppression.cell_id

)

select * from published
