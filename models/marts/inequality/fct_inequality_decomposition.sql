-- How much of each indicator's variation, and of its deprivation gradient, lies between practices and how much
-- within them, per borough, indicator and QOF year end. Patients: those in the denominator with a known IMD quintile.
-- y = 1 / 0 (numerator met) for proportions, the value for means; x = the patient's IMD quintile as a ridit (the
-- midpoint of its cumulative population share in the borough: 0 = most deprived end, 1 = least deprived).
--   variance: total = between-practice (practice means around the borough mean) + within-practice.
--   gradient: the patient-level least-squares slope of y on x (an individual-level SII) splits exactly as
--     total slope = w x within-practice slope + (1 - w) x between-practice slope, w = the share of x's variation
--     within practices. The within-practice slope compares patients of one practice (practice fixed effects): the
--     inequality a practice can act on among its own patients; the between-practice slope is the gradient carried
--     by deprived areas being served by different practices.
with

patients as (

    -- The stored outcomes rather than the fct_indicator_patient view: only the year-end rows and the stratum's
    -- quintile are needed, not the view's per-row keys and address lookup.
    select
        patients.indicator_id,
        patients.period_end,
        practices.borough_code,
        practices.practice_code,
        strata.imd_quintile,
        case
            when indicators.value_type = 'mean' then patients.value
            when patients.in_numerator then 1.0
            else 0.0
        end as outcome
    from {{ ref('int_indicators__patient_outcomes') }} as patients
    inner join {{ ref('int_calendar__indicator_periods') }} as periods
        on patients.period_end = periods.period_end
    inner join {{ ref('int_indicators__strata') }} as strata
        on patients.stratum_id = strata.stratum_id
    inner join {{ ref('stg_discovery__organization') }} as organizations
        on patients.organization_id = organizations.id
    inner join {{ ref('dim_practice') }} as practices
        on organizations.ods_code = practices.practice_code
    inner join {{ ref('dim_indicator') }} as indicators
        on patients.indicator_id = indicators.indicator_id
    where
        periods.is_qof_year_end
        and patients.in_denominator
        and strata.imd_quintile is not null
        and (indicators.value_type = 'proportion' or patients.value is not null)

),

cells as (

    select
        indicator_id,
        period_end,
        borough_code,
        practice_code,
        imd_quintile,
        cast(count(*) as {{ type_double() }}) as n_patients,
        sum(cast(outcome as {{ type_double() }})) as sum_outcome,
        sum(cast(outcome as {{ type_double() }}) * cast(outcome as {{ type_double() }})) as sum_outcome_squared
    from patients
    group by indicator_id, period_end, borough_code, practice_code, imd_quintile

),

quintile_ridits as (

    select
        indicator_id,
        period_end,
        borough_code,
        imd_quintile,
        (
            sum(sum(n_patients))
                over (
                    partition by indicator_id, period_end, borough_code order by imd_quintile
                    rows between unbounded preceding and current row
                )
            - sum(n_patients) / 2
        ) / sum(sum(n_patients)) over (partition by indicator_id, period_end, borough_code) as ridit
    from cells
    group by indicator_id, period_end, borough_code, imd_quintile

),

cells_with_ridits as (

    select
        cells.*,
        quintile_ridits.ridit
    from cells
    inner join quintile_ridits
        on
            cells.indicator_id = quintile_ridits.indicator_id
            and cells.period_end = quintile_ridits.period_end
            and cells.borough_code = quintile_ridits.borough_code
            and cells.imd_quintile = quintile_ridits.imd_quintile

),

practice_means as (

    select
        indicator_id,
        period_end,
        borough_code,
        practice_code,
        sum(n_patients) as n_patients,
        sum(sum_outcome) / sum(n_patients) as mean_outcome,
        sum(n_patients * ridit) / sum(n_patients) as mean_ridit
    from cells_with_ridits
    group by indicator_id, period_end, borough_code, practice_code

),

borough_means as (

    select
        indicator_id,
        period_end,
        borough_code,
        sum(n_patients) as n_patients,
        count(distinct practice_code) as n_practices,
        sum(sum_outcome) / sum(n_patients) as mean_outcome,
        sum(n_patients * ridit) / sum(n_patients) as mean_ridit,
        sum(sum_outcome_squared) as sum_outcome_squared
    from cells_with_ridits
    group by indicator_id, period_end, borough_code

),

within_sums as (

    select
        cells.indicator_id,
        cells.period_end,
        cells.borough_code,
        sum(cells.n_patients * (cells.ridit - practice_means.mean_ridit) * (cells.ridit - practice_means.mean_ridit))
            as sxx_within,
        sum(
            (cells.ridit - practice_means.mean_ridit)
            * (cells.sum_outcome - cells.n_patients * practice_means.mean_outcome)
        ) as sxy_within
    from cells_with_ridits as cells
    inner join practice_means
        on
            cells.indicator_id = practice_means.indicator_id
            and cells.period_end = practice_means.period_end
            and cells.practice_code = practice_means.practice_code
    group by cells.indicator_id, cells.period_end, cells.borough_code

),

between_sums as (

    select
        practice_means.indicator_id,
        practice_means.period_end,
        practice_means.borough_code,
        sum(
            practice_means.n_patients
            * (practice_means.mean_outcome - borough_means.mean_outcome)
            * (practice_means.mean_outcome - borough_means.mean_outcome)
        ) as ss_outcome_between,
        sum(
            practice_means.n_patients
            * (practice_means.mean_ridit - borough_means.mean_ridit)
            * (practice_means.mean_ridit - borough_means.mean_ridit)
        ) as sxx_between,
        sum(
            practice_means.n_patients
            * (practice_means.mean_ridit - borough_means.mean_ridit)
            * (practice_means.mean_outcome - borough_means.mean_outcome)
        ) as sxy_between
    from practice_means
    inner join borough_means
        on
            practice_means.indicator_id = borough_means.indicator_id
            and practice_means.period_end = borough_means.period_end
            and practice_means.borough_code = borough_means.borough_code
    group by practice_means.indicator_id, practice_means.period_end, practice_means.borough_code

),

decomposed as (

    select
        borough_means.indicator_id,
        borough_means.period_end,
        borough_means.borough_code,
        borough_means.n_patients,
        borough_means.n_practices,
        borough_means.mean_outcome,
        within_sums.sxx_within,
        within_sums.sxy_within,
        between_sums.sxx_between,
        between_sums.sxy_between,
        borough_means.sum_outcome_squared / borough_means.n_patients
        - borough_means.mean_outcome * borough_means.mean_outcome as total_variance,
        between_sums.ss_outcome_between / borough_means.n_patients as between_practice_variance
    from borough_means
    inner join within_sums
        on
            borough_means.indicator_id = within_sums.indicator_id
            and borough_means.period_end = within_sums.period_end
            and borough_means.borough_code = within_sums.borough_code
    inner join between_sums
        on
            borough_means.indicator_id = between_sums.indicator_id
            and borough_means.period_end = between_sums.period_end
            and borough_means.borough_code = between_sums.borough_code

)

select
    indicator_id,
    period_end,
    borough_code,
    cast(n_patients as {{ dbt.type_bigint() }}) as n_patients,
    cast(n_practices as {{ dbt.type_int() }}) as n_practices,
    cast(mean_outcome as {{ type_double() }}) as mean_value,
    cast(total_variance as {{ type_double() }}) as total_variance,
    cast(between_practice_variance as {{ type_double() }}) as between_practice_variance,
    cast(total_variance - between_practice_variance as {{ type_double() }}) as within_practice_variance,
    cast({{ safe_divide('between_practice_variance', 'total_variance') }} as {{ type_double() }})
        as between_practice_share,
    cast({{ safe_divide('sxy_within + sxy_between', 'sxx_within + sxx_between') }} as {{ type_double() }})
        as sii_total,
    cast({{ safe_divide('sxy_within', 'sxx_within') }} as {{ type_double() }}) as sii_within_practice,
    cast({{ safe_divide('sxy_between', 'sxx_between') }} as {{ type_double() }}) as sii_between_practice,
    cast({{ safe_divide('sxx_within', 'sxx_within + sxx_between') }} as {{ type_double() }}) as within_practice_weight,
    cast({{ safe_divide('sxy_within', 'sxx_within + sxx_between') }} as {{ type_double() }})
        as within_practice_contribution,
    cast({{ safe_divide('sxy_between', 'sxx_within + sxx_between') }} as {{ type_double() }})
        as between_practice_contribution
from decomposed
