-- Age-standardised rates of the proportion indicators at each QOF year end, for the deprivation and ethnicity
-- breakdowns (and overall), so groups with different age structures compare fairly. Two methods, one row each per
-- (indicator, year end, geography, dimension, stratum):
--   dsr_esp2013  direct standardisation to the 2013 European Standard Population (PHE calculate_dsr, Dobson 95%
--                interval): the ESP 5-year bands the indicator's population spans in the whole extract that year
--                are the standard; a stratum missing one of those bands, or with fewer than 10 numerator events,
--                gets no value (suppression_reason says which). ICB, borough and PCN (practice strata are too thin).
--   isr_extract_age_sex  indirect standardisation: observed / expected numerator, where expected applies the whole
--                extract's age-band x sex rates that year to the stratum's denominator (PHE calculate_ISRatio, exact
--                Poisson interval below 10 events, Byar's above). For HYP_PREV this is recorded over expected
--                prevalence, a case-finding measure. Every geography, including practices.
{%- set dimensions = [
    'overall', 'imd_quintile', 'imd_decile', 'ethnicity_group_5', 'core20', 'imd_quintile_x_ethnicity_group_5'
] %}
-- Not a data dependency but an order: built after int_indicators__rates, so the two heaviest aggregations of the
-- stratified counts do not share the cores and the memory limit (NEL at 4416ff4: 72 s and 56 s side by side, 33 s
-- and 18 s alone, with a 7 GB peak for the rates alone).
-- depends_on: {{ ref('int_indicators__rates') }}
-- The linter's duckdb dialect cannot parse `group by grouping sets` (macro grouping_sets), so its parse errors are off:
-- noqa: disable=PRS
with

practices as (

    select
        practice_code,
        pcn_code,
        borough_code,
        icb_code
    from {{ ref('dim_practice') }}

),

year_end_counts as (

    select
        counts.indicator_id,
        counts.period_end,
        counts.organization_id,
        counts.stratum_id,
        counts.n_numerator,
        counts.n_denominator
    from {{ ref('int_indicators__year_end_stratum_counts') }} as counts
    inner join {{ ref('dim_indicator') }} as indicators
        on counts.indicator_id = indicators.indicator_id
    where
        counts.n_denominator > 0
        and indicators.value_type = 'proportion'

),

-- the whole extract's rate in each age band x sex at each year end: the reference of the indirect method (its
-- bands are also the standard's bands of the direct method)
reference_rates as (

    select
        year_end_counts.indicator_id,
        year_end_counts.period_end,
        strata.age_band,
        strata.sex,
        sum(year_end_counts.n_numerator) * 1.0 / sum(year_end_counts.n_denominator) as reference_rate
    from year_end_counts
    inner join {{ ref('int_indicators__strata') }} as strata
        on year_end_counts.stratum_id = strata.stratum_id
    group by
        year_end_counts.indicator_id,
        year_end_counts.period_end,
        strata.age_band,
        strata.sex

),

-- the finest strata, each with its expected numerator (denominator x reference rate), summed over what no breakdown
-- here needs (sex and the 16 ethnic categories): expected counts add up, so the direct method's age bands are all the
-- breakdowns keep
proportion_counts as (

    select
        year_end_counts.indicator_id,
        year_end_counts.period_end,
        practice_codes.ods_code as practice_code,
        strata.age_band,
        strata.imd_quintile,
        strata.imd_decile,
        strata.is_core20,
        strata.ethnicity_group_5,
        sum(year_end_counts.n_numerator) as n_numerator,
        sum(year_end_counts.n_denominator) as n_denominator,
        sum(year_end_counts.n_denominator * reference_rates.reference_rate) as expected
    from year_end_counts
    inner join {{ ref('int_indicators__strata') }} as strata
        on year_end_counts.stratum_id = strata.stratum_id
    inner join reference_rates
        on
            year_end_counts.indicator_id = reference_rates.indicator_id
            and year_end_counts.period_end = reference_rates.period_end
            and strata.age_band = reference_rates.age_band
            and strata.sex = reference_rates.sex
    left join {{ ref('stg_discovery__organization') }} as practice_codes
        on year_end_counts.organization_id = practice_codes.id
    group by
        year_end_counts.indicator_id,
        year_end_counts.period_end,
        practice_codes.ods_code,
        strata.age_band,
        strata.imd_quintile,
        strata.imd_decile,
        strata.is_core20,
        strata.ethnicity_group_5

),

proportion_cells as (

    select
        indicator_id,
        period_end,
        practice_code,
        age_band,
        {%- for dimension in dimensions if dimension != 'overall' %}
        {{ breakdown_stratum(dimension) }} as stratum_{{ dimension }},
        {%- endfor %}
        n_numerator,
        n_denominator,
        expected
    from proportion_counts

),

band_counts as (

    {{ rolled_up_breakdowns(
        'proportion_cells', ['indicator_id', 'period_end', 'age_band'], dimensions,
        ['n_numerator', 'n_denominator', 'expected'], 'practices'
    ) }}

),

standard_bands as (

    select distinct
        reference_rates.indicator_id,
        reference_rates.period_end,
        esp.age_band,
        esp.esp_population
    from reference_rates
    inner join {{ ref('ref_esp2013') }} as esp
        on reference_rates.age_band = esp.age_band

),

age_band_counts as (

    select
        indicator_id,
        period_end,
        geography_level,
        geography_code,
        dimension,
        stratum,
        age_band,
        n_numerator,
        n_denominator
    from band_counts
    where geography_level != 'practice'

),

strata as (

    select distinct
        indicator_id,
        period_end,
        geography_level,
        geography_code,
        dimension,
        stratum
    from age_band_counts

),

standardisation_grid as (

    select
        strata.*,
        standard_bands.age_band,
        standard_bands.esp_population,
        coalesce(age_band_counts.n_numerator, 0) as n_numerator,
        coalesce(age_band_counts.n_denominator, 0) as n_denominator
    from strata
    inner join standard_bands
        on
            strata.indicator_id = standard_bands.indicator_id
            and strata.period_end = standard_bands.period_end
    left join age_band_counts
        on
            strata.indicator_id = age_band_counts.indicator_id
            and strata.period_end = age_band_counts.period_end
            and strata.geography_level = age_band_counts.geography_level
            and strata.geography_code = age_band_counts.geography_code
            and strata.dimension = age_band_counts.dimension
            and strata.stratum = age_band_counts.stratum
            and standard_bands.age_band = age_band_counts.age_band

),

direct_standardisation as (

    select
        indicator_id,
        period_end,
        geography_level,
        geography_code,
        dimension,
        stratum,
        'dsr_esp2013' as method,
        sum(n_numerator) as observed,
        sum(n_denominator) as denominator,
        cast(null as {{ type_double() }}) as expected,
        {{ dsr_value('n_numerator', 'n_denominator', 'esp_population') }} as standardised_value,
        {{ dobson_lower(
            dsr_value('n_numerator', 'n_denominator', 'esp_population'),
            dsr_variance('n_numerator', 'n_denominator', 'esp_population'),
            'sum(n_numerator)'
        ) }} as ci_lower,
        {{ dobson_upper(
            dsr_value('n_numerator', 'n_denominator', 'esp_population'),
            dsr_variance('n_numerator', 'n_denominator', 'esp_population'),
            'sum(n_numerator)'
        ) }} as ci_upper,
        count(*) as n_age_bands,
        case
            when min(n_denominator) = 0 then 'missing_age_band'
            when not {{ dsr_is_reportable('sum(n_numerator)') }} then 'fewer_than_10_events'
        end as suppression_reason
    from standardisation_grid
    group by indicator_id, period_end, geography_level, geography_code, dimension, stratum

),

expected_counts as (

    select
        indicator_id,
        period_end,
        geography_level,
        geography_code,
        dimension,
        stratum,
        sum(n_numerator) as observed,
        sum(n_denominator) as denominator,
        sum(expected) as expected,
        -- band_counts has one row per age band of a stratum
        count(*) as n_age_bands
    from band_counts
    group by
        indicator_id,
        period_end,
        geography_level,
        geography_code,
        dimension,
        stratum

),

exact_limits as (

    select
        observed,
        lower_count,
        upper_count
    from {{ ref('ref_poisson_exact_limits') }}
    where confidence = 0.95

),

indirect_standardisation as (

    select
        expected_counts.indicator_id,
        expected_counts.period_end,
        expected_counts.geography_level,
        expected_counts.geography_code,
        expected_counts.dimension,
        expected_counts.stratum,
        'isr_extract_age_sex' as method,
        expected_counts.observed,
        expected_counts.denominator,
        expected_counts.expected,
        {{ safe_divide('expected_counts.observed', 'expected_counts.expected') }} as standardised_value,
        {{ safe_divide(
            poisson_lower('expected_counts.observed', 'exact_limits.lower_count'), 'expected_counts.expected'
        ) }} as ci_lower,
        {{ safe_divide(
            poisson_upper('expected_counts.observed', 'exact_limits.upper_count'), 'expected_counts.expected'
        ) }} as ci_upper,
        expected_counts.n_age_bands,
        case when expected_counts.expected = 0 then 'no_expected_events' end as suppression_reason
    from expected_counts
    left join exact_limits
        on expected_counts.observed = exact_limits.observed

),

standardised_rates as (

    select * from direct_standardisation
    union all
    select * from indirect_standardisation

)

select
    cast(indicator_id as {{ dbt.type_string() }}) as indicator_id,
    period_end,
    cast(geography_level as {{ dbt.type_string() }}) as geography_level,
    cast(geography_code as {{ dbt.type_string() }}) as geography_code,
    cast(dimension as {{ dbt.type_string() }}) as dimension,
    cast(stratum as {{ dbt.type_string() }}) as stratum,
    cast(method as {{ dbt.type_string() }}) as method,
    cast(observed as {{ dbt.type_bigint() }}) as observed,
    cast(denominator as {{ dbt.type_bigint() }}) as denominator,
    cast({{ safe_divide('observed', 'denominator') }} as {{ type_double() }}) as crude_value,
    cast(expected as {{ type_double() }}) as expected,
    cast(case when suppression_reason is null then standardised_value end as {{ type_double() }}) as standardised_value,
    cast(case when suppression_reason is null then ci_lower end as {{ type_double() }}) as ci_lower,
    cast(case when suppression_reason is null then ci_upper end as {{ type_double() }}) as ci_upper,
    cast(n_age_bands as {{ dbt.type_int() }}) as n_age_bands,
    cast(suppression_reason as {{ dbt.type_string() }}) as suppression_reason
from standardised_rates
