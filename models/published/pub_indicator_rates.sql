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

-- integer codes for the key columns, numbered in the order of their values, so that a cell's integer id sorts as
-- its key does (ties in the suppression break by cell id) and groups are found by arithmetic on integers rather
-- than by joining the rates to themselves on text
indicator_codes as (

    select
        indicator_id,
        row_number() over (order by indicator_id) - 1 as indicator_code
    from (select distinct indicator_id from rates) as indicators

),

period_codes as (

    select
        period_end,
        row_number() over (order by period_end) - 1 as period_code
    from (select distinct period_end from rates) as periods

),

geography_codes as (

    select
        geography_level,
        geography_code,
        row_number() over (order by geography_level, geography_code) - 1 as geography_id
    from (select distinct
        geography_level,
        geography_code
    from rates) as geographies

),

stratum_codes as (

    select
        dimension,
        stratum,
        row_number() over (order by dimension, stratum) - 1 as stratum_id,
        dense_rank() over (order by dimension) as dimension_code
    from (select distinct
        dimension,
        stratum
    from rates) as strata

),

code_sizes as (

    select
        (select count(*) from period_codes) as n_periods,
        (select count(*) from geography_codes) as n_geographies,
        (select count(*) from stratum_codes) as n_strata

),

cells as (

    select
        rates.*,
        geography_codes.geography_id,
        stratum_codes.stratum_id,
        stratum_codes.dimension_code,
        code_sizes.n_strata,
        (
            (indicator_codes.indicator_code * code_sizes.n_periods + period_codes.period_code)
            * code_sizes.n_geographies + geography_codes.geography_id
        )
        * code_sizes.n_strata + stratum_codes.stratum_id as cell_id,
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
    inner join indicator_codes on rates.indicator_id = indicator_codes.indicator_id
    inner join period_codes on rates.period_end = period_codes.period_end
    inner join geography_codes
        on
            rates.geography_level = geography_codes.geography_level
            and rates.geography_code = geography_codes.geography_code
    inner join stratum_codes
        on
            rates.dimension = stratum_codes.dimension
            and rates.stratum = stratum_codes.stratum
    cross join code_sizes

),

suppression_cells as (

    select
        cell_id,
        denominator as value,
        is_primary
    from cells

),

-- the area each geography adds up to
area_parents as (

    {{ area_parents(ref('dim_practice')) }}

),

geography_parents as (

    select
        children.geography_id,
        parents.geography_id as parent_geography_id
    from area_parents
    inner join geography_codes as children
        on
            area_parents.geography_level = children.geography_level
            and area_parents.geography_code = children.geography_code
    inner join geography_codes as parents
        on
            area_parents.parent_level = parents.geography_level
            and area_parents.parent_code = parents.geography_code

),

-- the nested breakdowns: each stratum and the stratum of a coarser breakdown it is part of
nested_strata as (

    {{ nested_breakdown_strata('stratum_codes') }}

),

stratum_parents as (

    select
        parts.stratum_id,
        totals.stratum_id as parent_stratum_id
    from nested_strata
    inner join stratum_codes as parts
        on
            nested_strata.dimension = parts.dimension
            and nested_strata.stratum = parts.stratum
    inner join stratum_codes as totals
        on
            nested_strata.parent_dimension = totals.dimension
            and nested_strata.parent_stratum = totals.stratum

),

overall_stratum as (

    select stratum_id as overall_stratum_id
    from stratum_codes
    where dimension = 'overall'

),

-- each part cell and the total it adds up to (a cell id that need not exist: a group without its total is
-- ignored), with the kind of group: a breakdown's strata and its overall row (10 + the breakdown's code), an area's
-- practices or smaller areas and its row (1), a coarser stratum's parts (50 + the parts' breakdown code)
links as (

    select
        cells.cell_id as part_id,
        cells.cell_id - cells.stratum_id + overall_stratum.overall_stratum_id as total_id,
        10 + cells.dimension_code as group_kind
    from cells
    cross join overall_stratum
    where cells.dimension != 'overall'
    union all
    select
        cells.cell_id as part_id,
        cells.cell_id + (parents.parent_geography_id - cells.geography_id) * cells.n_strata as total_id,
        1 as group_kind
    from cells
    inner join geography_parents as parents
        on cells.geography_id = parents.geography_id
    union all
    select
        cells.cell_id as part_id,
        cells.cell_id - cells.stratum_id + parents.parent_stratum_id as total_id,
        50 + cells.dimension_code as group_kind
    from cells
    inner join stratum_parents as parents
        on cells.stratum_id = parents.stratum_id

),

-- one integer per group (its total's cell and kind)
members as (

    {{ suppression_members('links') }}

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
