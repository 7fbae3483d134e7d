-- Equity data quality for BI (published.equity_data_quality): how completely ethnicity and residence (LSOA, hence
-- deprivation) are recorded, overall, by IMD quintile and by ethnic group, per practice, PCN, borough and the ICB
-- at each QOF year end (fct_dq_recording_completeness summed). Recording that is worse in the most deprived
-- quintile or in one ethnic group biases every equity estimate, so QI leads read this beside the rates.
-- Disclosure control as for published.indicator_rates: a row is withheld when any of its person counts is 1 to 7
-- ('small count'), and complementary suppression over the strata of a breakdown with the overall row and over the
-- practices of a PCN (PCNs of a borough, boroughs of the ICB) with the area's row ('complementary'); a withheld
-- row has NULL counts and shares. Published counts are rounded to the nearest 5; shares come from exact counts.
-- The linter's duckdb dialect cannot parse `group by grouping sets` (macro geography_rollup), so its parse errors are
-- off:
-- noqa: disable=PRS
with

completeness as (

    select
        completeness.period_end,
        practices.practice_code,
        practices.pcn_code,
        practices.borough_code,
        practices.icb_code,
        completeness.ethnicity_group_5,
        completeness.registered_patients,
        completeness.ethnicity_recorded,
        completeness.ethnicity_not_stated,
        completeness.ethnicity_not_recorded,
        completeness.lsoa_known,
        completeness.lsoa_unknown,
        case completeness.imd_quintile when 'unknown' then 'Unknown' else completeness.imd_quintile end
            as imd_quintile
    from {{ ref('fct_dq_recording_completeness') }} as completeness
    inner join {{ ref('dim_practice') }} as practices
        on completeness.practice_code = practices.practice_code

),

{% set measures = [
    'registered_patients', 'ethnicity_recorded', 'ethnicity_not_stated', 'ethnicity_not_recorded', 'lsoa_known',
    'lsoa_unknown'
] %}
breakdowns as (

    select
        period_end,
        practice_code,
        pcn_code,
        borough_code,
        icb_code,
        'overall' as dimension,
        'All' as stratum,
        {{ measures | join(', ') }}
    from completeness
    union all
    select
        period_end,
        practice_code,
        pcn_code,
        borough_code,
        icb_code,
        'imd_quintile' as dimension,
        imd_quintile as stratum,
        {{ measures | join(', ') }}
    from completeness
    union all
    select
        period_end,
        practice_code,
        pcn_code,
        borough_code,
        icb_code,
        'ethnicity_group_5' as dimension,
        ethnicity_group_5 as stratum,
        {{ measures | join(', ') }}
    from completeness

),

sums as (

    {{ geography_rollup(
        'breakdowns', ['period_end', 'dimension', 'stratum'], ['practice', 'pcn', 'borough', 'icb'], measures
    ) }}

),

cells as (

    select
        sums.*,
        row_number() over (
            order by sums.period_end, sums.geography_level, sums.geography_code, sums.dimension, sums.stratum
        ) as cell_id,
        coalesce(
            {%- for measure in measures %}
            {{ sdc_is_redacted('sums.' ~ measure) }}{{ ' or' if not loop.last }}
            {%- endfor %},
            false
        ) as is_primary
    from sums

),

suppression_cells as (

    select
        cell_id,
        registered_patients as value,
        is_primary
    from cells

),

area_parents as (

    {{ area_parents(ref('dim_practice')) }}

),

-- each part and its total: the IMD quintiles (kind 1) or the ethnic groups (kind 2) and the overall row, an
-- area's practices or smaller areas and the area's row (kind 3)
links as (

    select
        parts.cell_id as part_id,
        totals.cell_id as total_id,
        case parts.dimension when 'imd_quintile' then 1 else 2 end as group_kind
    from cells as parts
    inner join cells as totals
        on
            parts.period_end = totals.period_end
            and parts.geography_level = totals.geography_level
            and parts.geography_code = totals.geography_code
            and totals.dimension = 'overall'
    where parts.dimension != 'overall'
    union all
    select
        parts.cell_id as part_id,
        totals.cell_id as total_id,
        3 as group_kind
    from cells as parts
    inner join area_parents as parents
        on
            parts.geography_level = parents.geography_level
            and parts.geography_code = parents.geography_code
    inner join cells as totals
        on
            parts.period_end = totals.period_end
            and parents.parent_level = totals.geography_level
            and parents.parent_code = totals.geography_code
            and parts.dimension = totals.dimension
            and parts.stratum = totals.stratum

),

members as (

    {{ suppression_members('links') }}

),

suppression as (

    {{ complementary_suppression('suppression_cells', 'members', passes=12) }}

),

published as (

    select
        cells.period_end,
        cast(cells.geography_level as {{ dbt.type_string() }}) as geography_level,
        cast(cells.geography_code as {{ dbt.type_string() }}) as geography_code,
        cast(cells.dimension as {{ dbt.type_string() }}) as dimension,
        cast(cells.stratum as {{ dbt.type_string() }}) as stratum,
        {{ sdc_rounded_count('cells.registered_patients', 'suppression.is_suppressed') }} as denominator,
        {{ sdc_rounded_count('cells.ethnicity_recorded', 'suppression.is_suppressed') }} as ethnicity_recorded_count,
        {{ sdc_rounded_count('cells.ethnicity_not_stated', 'suppression.is_suppressed') }}
            as ethnicity_not_stated_count,
        {{ sdc_rounded_count('cells.ethnicity_not_recorded', 'suppression.is_suppressed') }}
            as ethnicity_not_recorded_count,
        {{ sdc_rounded_count('cells.lsoa_known', 'suppression.is_suppressed') }} as lsoa_known_count,
        {{ sdc_rounded_count('cells.lsoa_unknown', 'suppression.is_suppressed') }} as lsoa_unknown_count,
        cast(
            case
                when not suppression.is_suppressed and cells.registered_patients > 0
                    then 1.0 * cells.ethnicity_recorded / cells.registered_patients
            end as {{ type_double() }}
        ) as ethnicity_recorded_share,
        cast(
            case
                when not suppression.is_suppressed and cells.registered_patients > 0
                    then 1.0 * cells.lsoa_known / cells.registered_patients
            end as {{ type_double() }}
        ) as lsoa_known_share,
        cast(suppression.suppression_reason as {{ dbt.type_string() }}) as suppression_reason
    from cells
    inner join suppression
        on cells.cell_id = suppression.cell_id

)

select * from published
