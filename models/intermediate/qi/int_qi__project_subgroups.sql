-- The numbers behind each QI project's evaluation, one row per (project, role, quantity, IMD quintile; 0 = all
-- patients, with or without a known quintile): n, estimate, SE, in the inequality macros' input columns.
-- A patient's outcome in a window (int_qi__project_windows) is their average over the window's period ends at which
-- they are in the denominator at a practice of the role (1 / 0 for proportions, the value for means); their
-- quintile is the highest they held in the window (a move between quintiles within a year is rare).
-- Quantities:
--   level_before / level_after  every such patient in the baseline / follow-up window (cross-sectional);
--   change                      patients in both windows (same role): the mean of (after - before). Pairing
--                               removes the between-patient variation from the change, which cross-sectional
--                               differences cannot (HbA1c varies far more between people than between tests).
-- SE: a proportion's level by the one rule for proportion subgroups (macro proportion_standard_error, on the sum of
-- the patients' outcomes; the binomial bound for outcomes in 0..1, and never 0 at 0% or 100%); a mean's level and
-- every change SD / sqrt(n) across patients (normal approximation).
with

windows as (

    select * from {{ ref('int_qi__project_windows') }}

),

project_practices as (

    select
        project_id,
        practice_code,
        role
    from {{ ref('int_qi__project_practices') }}

),

indicators as (

    select
        indicator_id,
        value_type,
        polarity
    from {{ ref('ref_indicators') }}

),

period_outcomes as (

    {{ qi_patient_period_outcomes() }}

),

role_period_outcomes as (

    select
        period_outcomes.project_id,
        project_practices.role,
        period_outcomes.window_name,
        period_outcomes.person_id,
        period_outcomes.imd_quintile,
        period_outcomes.outcome
    from period_outcomes
    inner join project_practices
        on
            period_outcomes.project_id = project_practices.project_id
            and period_outcomes.practice_code = project_practices.practice_code

),

-- a patient counts once per role: their window averages and changes pool every practice of the role
observations as (

    {{ qi_outcome_observations('role_period_outcomes', 'role') }}

),

by_quintile as (

    select
        project_id,
        role,
        quantity,
        imd_quintile as subgroup_order,
        count(*) as n,
        avg(outcome) as estimate,
        sum(outcome) as outcome_sum,
        stddev_samp(outcome) as standard_deviation
    from observations
    where imd_quintile is not null
    group by project_id, role, quantity, imd_quintile

),

overall as (

    select
        project_id,
        role,
        quantity,
        0 as subgroup_order,
        count(*) as n,
        avg(outcome) as estimate,
        sum(outcome) as outcome_sum,
        stddev_samp(outcome) as standard_deviation
    from observations
    group by project_id, role, quantity

),

project_indicators as (

    select distinct
        project_id,
        indicator_id
    from windows

),

combined as (

    select
        project_id,
        role,
        quantity,
        subgroup_order,
        n,
        estimate,
        outcome_sum,
        standard_deviation
    from by_quintile
    union all
    select
        project_id,
        role,
        quantity,
        subgroup_order,
        n,
        estimate,
        outcome_sum,
        standard_deviation
    from overall

)

select
    combined.project_id,
    combined.role,
    combined.quantity,
    cast(combined.subgroup_order as {{ dbt.type_int() }}) as subgroup_order,
    cast(combined.n as {{ dbt.type_bigint() }}) as n,
    cast(combined.n as {{ type_double() }}) as population,
    cast(combined.estimate as {{ type_double() }}) as estimate,
    cast(combined.standard_deviation as {{ type_double() }}) as standard_deviation,
    cast(
        case
            when indicators.value_type = 'proportion' and combined.quantity <> 'change'
                then {{ proportion_standard_error('least(combined.outcome_sum, combined.n)', 'combined.n') }}
            else combined.standard_deviation / sqrt(cast(combined.n as {{ type_double() }}))
        end as {{ type_double() }}
    ) as se,
    indicators.value_type,
    indicators.polarity = 'higher_is_better' as is_favourable,
    cast(1 as {{ type_double() }}) as indicator_scale,
    false as is_reference
from combined
inner join project_indicators
    on combined.project_id = project_indicators.project_id
inner join indicators
    on project_indicators.indicator_id = indicators.indicator_id
