-- Every indicator's rate at every period end, for each geography (practice, PCN, borough, ICB) and each breakdown
-- (overall; IMD 2019 quintile and decile; ethnic group, 5 and 16 categories; ESP 5-year age band; sex; Core20; IMD
-- quintile x ethnic group): one row per (indicator, period end, geography, dimension, stratum) with patients in the
-- indicator's population. Proportions: numerator / denominator with the Wilson score 95% interval (PHE
-- phe_proportion). Means: numerator = the sum of the values, denominator = the patients with one, value = the mean,
-- the sample standard deviation and the Student t 95% interval (PHE phe_mean; t from seed ref_t_values). Strata
-- with no value are 'Unknown' (IMD, age band) or 'Not recorded' (ethnicity). Patients are counted at their practice
-- at the period end; a practice's PCN, borough and ICB come from dim_practice.
{%- set geographies = ['practice', 'pcn', 'borough', 'icb'] %}
{%- set dimensions = {
    'overall': "'All'",
    'imd_quintile': "coalesce(cast(imd_quintile as " ~ dbt.type_string() ~ "), 'Unknown')",
    'imd_decile': "coalesce(cast(imd_decile as " ~ dbt.type_string() ~ "), 'Unknown')",
    'ethnicity_group_5': 'ethnicity_group_5',
    'ethnicity_group_16': 'ethnicity_group_16',
    'age_band': "coalesce(age_band, 'Unknown')",
    'sex': 'sex',
    'core20': "case when is_core20 then 'Core20' when not is_core20 then 'Not Core20' else 'Unknown' end",
    'imd_quintile_x_ethnicity_group_5': dbt.concat([
        "coalesce(cast(imd_quintile as " ~ dbt.type_string() ~ "), 'Unknown')", "' | '", 'ethnicity_group_5'
    ]),
} %}
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
    from {{ ref('dim_practice') }}

),

cells as (

    select
        patients.indicator_id,
        patients.period_end,
        patients.practice_code,
        practices.pcn_code,
        practices.borough_code,
        practices.icb_code,
        patients.age_band,
        patients.sex,
        patients.ethnicity_group_5,
        patients.ethnicity_group_16,
        patients.imd_decile,
        patients.imd_quintile,
        patients.is_core20,
        sum(case when patients.in_denominator then 1 else 0 end) as n_denominator,
        sum(case when patients.in_denominator and patients.in_numerator then 1 else 0 end) as n_numerator,
        sum(case when patients.in_denominator then 0 else 1 end) as n_excluded,
        sum(case when patients.in_denominator then patients.value end) as sum_value,
        sum(case when patients.in_denominator then patients.value * patients.value end) as sum_value_squared
    from {{ ref('fct_indicator_patient') }} as patients
    left join practices
        on patients.practice_code = practices.practice_code
    group by
        patients.indicator_id,
        patients.period_end,
        patients.practice_code,
        practices.pcn_code,
        practices.borough_code,
        practices.icb_code,
        patients.age_band,
        patients.sex,
        patients.ethnicity_group_5,
        patients.ethnicity_group_16,
        patients.imd_decile,
        patients.imd_quintile,
        patients.is_core20

),

strata as (

    {% for geography in geographies %}
    {%- set outer_first = loop.first %}
    {% for dimension, stratum in dimensions.items() %}
    {%- if not (loop.first and outer_first) %}
    union all
    {% endif %}
    select
        indicator_id,
        period_end,
        '{{ geography }}' as geography_level,
        {{ geography }}_code as geography_code,
        '{{ dimension }}' as dimension,
        {{ stratum }} as stratum,
        sum(n_numerator) as n_numerator,
        sum(n_denominator) as n_denominator,
        sum(n_excluded) as n_excluded,
        sum(sum_value) as sum_value,
        sum(sum_value_squared) as sum_value_squared
    from cells
    group by indicator_id, period_end, {{ geography }}_code, {{ stratum }}
    {% endfor %}
    {% endfor %}

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
                then sqrt(
                    greatest(
                        (strata.sum_value_squared - strata.sum_value * strata.sum_value / strata.n_denominator)
                        / (strata.n_denominator - 1),
                        0
                    )
                )
        end as standard_deviation
    from strata
    inner join indicators
        on strata.indicator_id = indicators.indicator_id

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
