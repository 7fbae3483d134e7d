-- Every indicator's rate at every period end, for each geography (practice, PCN, borough, ICB) and each breakdown
-- (overall; IMD 2019 quintile and decile; ethnic group, 5 and 16 categories; ESP 5-year age band; sex; Core20; IMD
-- quintile x ethnic group): one row per (indicator, period end, geography, dimension, stratum) with patients in the
-- indicator's population. Proportions: numerator / denominator with the Wilson score 95% interval (PHE
-- phe_proportion). Means: numerator = the sum of the values, denominator = the patients with one, value = the mean,
-- the sample standard deviation and the Student t 95% interval (PHE phe_mean; t from seed ref_t_values). Strata
-- (macro breakdown_stratum) with no value are 'Unknown' (IMD, age band) or 'Not recorded' (ethnicity). Patients are
-- counted at their practice at the period end; a practice's PCN, borough and ICB come from int_practices__practices.
-- Every breakdown is summed at practice level from the outcome counts by grouping sets, then the
-- practice strata roll up to PCN, borough and ICB (macro rolled_up_breakdowns). A practice's monthly series (period
-- ends that are not QOF year ends) keeps only the breakdowns in var indicator_monthly_practice_dimensions (overall
-- and IMD quintile: what SPC, the monthly SII and QI evaluation read); its other breakdowns are kept at QOF year ends,
-- and every breakdown at PCN, borough and ICB every month. Most dropped cells count fewer than 8 patients (the
-- published layer would suppress them), and they were half the rows. Published as fct_indicator_rates.
-- The linter's duckdb dialect cannot parse `group by grouping sets` (macro grouping_sets), so its parse errors are off:
-- noqa: disable=PRS
{%- set measures = ['n_numerator', 'n_denominator', 'n_excluded', 'sum_value', 'sum_value_squared'] %}
{%- set age_sex_dimensions = ['age_band', 'sex'] %}
{%- set partial_strata = [
    {'name': 'deprivation_ethnicity', 'key': 'ethnicity_deprivation_id',
     'labels': ['imd_decile', 'imd_quintile', 'is_core20', 'ethnicity_group_5', 'ethnicity_group_16'],
     'dimensions': breakdown_dimensions() | reject('in', age_sex_dimensions) | list},
    {'name': 'age_sex', 'key': 'age_sex_id', 'labels': ['age_band', 'sex'], 'dimensions': age_sex_dimensions},
] %}
with

indicators as (

    select
        indicator_id,
        value_type
    from {{ ref('ref_indicators') }}

),

practices as (

    select
        practice_code,
        pcn_code,
        borough_code,
        icb_code
    from {{ ref('int_practices__practices') }}

),

practice_codes as (

    select
        id as organization_id,
        ods_code as practice_code
    from {{ ref('stg_discovery__organization') }}

),

strata_labels as (

    select
        stratum_id,
        ethnicity_deprivation_id,
        age_sex_id,
        age_band,
        sex,
        ethnicity_group_5,
        ethnicity_group_16,
        imd_decile,
        imd_quintile,
        is_core20
    from {{ ref('int_indicators__strata') }}

),

-- Each breakdown needs only its own stratifiers, so its counts come summed over the others, on integer keys
-- (int_indicators__deprivation_ethnicity_counts, int_indicators__age_sex_counts): the breakdowns' grouping sets scan
-- these, labelled, instead of every finest stratum.
{%- for part in partial_strata %}
{{ part.name }}_counts as (

    select
        indicator_id,
        period_end,
        organization_id,
        {{ part.key }},
        n_numerator,
        n_denominator,
        n_excluded,
        sum_value,
        sum_value_squared
    from {{ ref('int_indicators__' ~ part.name ~ '_counts') }}

),

{{ part.name }}_labels as (

    select distinct
        {{ part.key }},
        {{ part.labels | join(', ') }}
    from strata_labels

),

{{ part.name }}_cells as (

    select
        summed.indicator_id,
        summed.period_end,
        practice_codes.practice_code,
        {%- for dimension in part.dimensions if dimension != 'overall' %}
        {{ breakdown_stratum(dimension) }} as stratum_{{ dimension }},
        {%- endfor %}
        summed.n_numerator,
        summed.n_denominator,
        summed.n_excluded,
        summed.sum_value,
        summed.sum_value_squared
    from {{ part.name }}_counts as summed
    inner join {{ part.name }}_labels as labels
        on summed.{{ part.key }} = labels.{{ part.key }}
    left join practice_codes
        on summed.organization_id = practice_codes.organization_id

),

{{ part.name }}_strata as (

    {{ rolled_up_breakdowns(
        part.name ~ '_cells', ['indicator_id', 'period_end'], part.dimensions, measures, 'practices'
    ) }}

),
{% endfor %}
strata as (

    select * from deprivation_ethnicity_strata
    union all
    select * from age_sex_strata

),

periods as (

    select
        period_end,
        is_qof_year_end
    from {{ ref('int_calendar__indicator_periods') }}

),

t_values as (

    select
        df,
        t_two_sided
    from {{ ref('ref_t_values') }}
    where confidence = 0.95

),

summarised as (

    select
        strata.*,
        indicators.value_type,
        case
            when indicators.value_type = 'mean' and strata.n_denominator >= 2
                -- (n * sum of squares - sum^2) is exact on the decimal sums; dividing first, in doubles,
                -- cancels away most digits when the values are close together
                then sqrt(
                    greatest(
                        (strata.n_denominator * strata.sum_value_squared - strata.sum_value * strata.sum_value)
                        / (strata.n_denominator * (strata.n_denominator - 1)),
                        0
                    )
                )
        end as standard_deviation
    from strata
    inner join indicators
        on strata.indicator_id = indicators.indicator_id
    inner join periods
        on strata.period_end = periods.period_end
    where
        strata.geography_level != 'practice'
        or periods.is_qof_year_end
        or strata.dimension in ({{ "'" ~ var('indicator_monthly_practice_dimensions') | join("', '") ~ "'" }})

),

rates as (

    select
        cast(summarised.indicator_id as {{ dbt.type_string() }}) as indicator_id,
        summarised.period_end,
        cast(summarised.geography_level as {{ dbt.type_string() }}) as geography_level,
        cast(summarised.geography_code as {{ dbt.type_string() }}) as geography_code,
        cast(summarised.dimension as {{ dbt.type_string() }}) as dimension,
        cast(summarised.stratum as {{ dbt.type_string() }}) as stratum,
        cast(summarised.value_type as {{ dbt.type_string() }}) as value_type,
        cast(
            case
                when summarised.value_type = 'mean' then summarised.sum_value else summarised.n_numerator
            end as {{ type_double() }}
        ) as numerator,
        cast(summarised.n_denominator as {{ dbt.type_bigint() }}) as denominator,
        cast(summarised.n_excluded as {{ dbt.type_bigint() }}) as excluded,
        cast(
            case
                when
                    summarised.value_type = 'mean'
                    then {{ safe_divide('summarised.sum_value', 'summarised.n_denominator') }}
                else {{ safe_divide('summarised.n_numerator', 'summarised.n_denominator') }}
            end as {{ type_double() }}
        ) as value,
        cast(
            case
                when summarised.value_type = 'mean' then {{ t_interval_lower(
                    safe_divide('summarised.sum_value', 'summarised.n_denominator'),
                    'summarised.standard_deviation', 'summarised.n_denominator', 't_values.t_two_sided'
                ) }}
                else {{ wilson_lower('summarised.n_numerator', 'summarised.n_denominator') }}
            end as {{ type_double() }}
        ) as ci_lower,
        cast(
            case
                when summarised.value_type = 'mean' then {{ t_interval_upper(
                    safe_divide('summarised.sum_value', 'summarised.n_denominator'),
                    'summarised.standard_deviation', 'summarised.n_denominator', 't_values.t_two_sided'
                ) }}
                else {{ wilson_upper('summarised.n_numerator', 'summarised.n_denominator') }}
            end as {{ type_double() }}
        ) as ci_upper,
        cast(summarised.standard_deviation as {{ type_double() }}) as standard_deviation
    from summarised
    left join t_values
        on {{ t_lookup_df('summarised.n_denominator') }} = t_values.df

)

select * from rates
