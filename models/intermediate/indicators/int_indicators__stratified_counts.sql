-- Every indicator's patient outcomes counted once per finest stratum: one row per (indicator, period end, practice
-- organization_id, stratum_id of int_indicators__strata: age band x sex x ethnic category x IMD decile) with
-- patients in the indicator's population. Integer keys only: readers label the (far fewer) rows they sum to. Every
-- rate and standardised rate rolls these counts up (sums add up exactly), instead of re-reading the person-periods.
-- Counts: n_denominator (no exclusion applies), n_numerator (of those, the numerator is met), n_excluded; for mean
-- indicators sum_value and sum_value_squared over the denominator's values (the mean and its standard deviation).
with

outcomes as (

    select
        indicator_id,
        period_end,
        organization_id,
        stratum_id,
        in_denominator,
        in_numerator,
        value
    from {{ ref('int_indicators__patient_outcomes') }}

),

stratified_counts as (

    select
        indicator_id,
        period_end,
        organization_id,
        stratum_id,
        sum(case when in_denominator then 1 else 0 end) as n_denominator,
        sum(case when in_denominator and in_numerator then 1 else 0 end) as n_numerator,
        sum(case when in_denominator then 0 else 1 end) as n_excluded,
        -- exact decimal sums (values are recorded to 0.1; six places hold them exactly): a sum of doubles depends
        -- on the order rows arrive in, and the standard deviation's difference of squares turns that into
        -- differences of 1e-12 between two builds of the same data. Squared in decimal(38, 6) x decimal(38, 6):
        -- a decimal(18, 6) product would overflow from 1,000 upwards
        sum(case when in_denominator then cast(value as decimal(38, 6)) end) as sum_value,
        sum(
            case when in_denominator then cast(value as decimal(38, 6)) * cast(value as decimal(38, 6)) end
        ) as sum_value_squared
    from outcomes
    group by
        indicator_id,
        period_end,
        organization_id,
        stratum_id

),

periods as (

    select
        period_end,
        is_qof_year_end
    from {{ ref('int_calendar__indicator_periods') }}

),

-- The year-end flag joins the counts, not the person-periods (70M rows at NEL, not 175M).
stratified_counts_with_flags as (

    select
        stratified_counts.indicator_id,
        stratified_counts.period_end,
        periods.is_qof_year_end,
        stratified_counts.organization_id,
        stratified_counts.stratum_id,
        stratified_counts.n_denominator,
        stratified_counts.n_numerator,
        stratified_counts.n_excluded,
        stratified_counts.sum_value,
        stratified_counts.sum_value_squared
    from stratified_counts
    inner join periods
        on stratified_counts.period_end = periods.period_end

)

select * from stratified_counts_with_flags
