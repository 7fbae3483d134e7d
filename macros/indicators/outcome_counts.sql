{#- A select of every indicator's patient outcomes (int_indicators__patient_outcomes) counted per (indicator, period
    end, practice organization_id, `stratum_key`): `stratum_key` is stratum_id or one of the coarser integer keys
    of int_indicators__strata (ethnicity_deprivation_id, age_sex_id), so each reader gets its counts summed once, on
    integers, straight from the person-periods. With `year_ends_only`, only QOF year ends. Counts: n_denominator
    (no exclusion applies), n_numerator (of those, the numerator is met), n_excluded; for mean indicators
    sum_value and sum_value_squared over the denominator's values (the mean and its standard deviation). -#}
{% macro outcome_counts(stratum_key, year_ends_only=false) %}
    {#- stratum_id is on the outcomes; the coarser keys come from the strata -#}
    {%- set key_column = ('outcomes.' if stratum_key == 'stratum_id' else 'strata.') ~ stratum_key %}
    select
        outcomes.indicator_id,
        outcomes.period_end,
        outcomes.organization_id,
        {{ key_column }},
        -- counts, not sums of 0/1: a count's state is a bigint where a sum of integers is a 128-bit integer on
        -- DuckDB (at NEL 19M groups: 22 s and 5.4 GB summed, 18 s and 4.1 GB counted)
        count(case when outcomes.in_denominator then 1 end) as n_denominator,
        count(case when outcomes.in_denominator and outcomes.in_numerator then 1 end) as n_numerator,
        count(case when not outcomes.in_denominator then 1 end) as n_excluded,
        -- exact decimal sums (values are recorded to 0.1; six places hold them exactly): a sum of doubles depends
        -- on the order rows arrive in, and the standard deviation's difference of squares turns that into
        -- differences of 1e-12 between two builds of the same data. Squared in decimal(38, 6) x decimal(38, 6):
        -- a decimal(18, 6) product would overflow from 1,000 upwards
        sum(case when outcomes.in_denominator then cast(outcomes.value as decimal(38, 6)) end) as sum_value,
        sum(
            case
                when outcomes.in_denominator
                    then cast(outcomes.value as decimal(38, 6)) * cast(outcomes.value as decimal(38, 6))
            end
        ) as sum_value_squared
    from {{ ref('int_indicators__patient_outcomes') }} as outcomes
    {%- if stratum_key != 'stratum_id' %}
    inner join {{ ref('int_indicators__strata') }} as strata
        on outcomes.stratum_id = strata.stratum_id
    {%- endif %}
    {%- if year_ends_only %}
    inner join {{ ref('int_calendar__indicator_periods') }} as periods
        on
            outcomes.period_end = periods.period_end
            and periods.is_qof_year_end
    {%- endif %}
    group by
        outcomes.indicator_id,
        outcomes.period_end,
        outcomes.organization_id,
        {{ key_column }}
{% endmacro %}
