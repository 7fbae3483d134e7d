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
-- Like for like: the comparison role's estimates are standardised to the intervention patients' mix of sex and
-- ten-year age band within each quintile (direct standardisation over the cells both roles have), so that a
-- comparison with older or younger patients (screening coverage rises fastest for women reaching their first
-- invitations) is not read as an effect; crude_estimate keeps the crude mean. Pairing patients across the windows
-- (the change quantity) already fixes the cohort against list turnover.
-- SE: a proportion's level by the one rule for proportion subgroups (macro proportion_standard_error, on the sum of
-- the patients' outcomes; the binomial bound for outcomes in 0..1, and never 0 at 0% or 100%); a mean's level and
-- every change SD / sqrt(n) across patients (normal approximation); standardised estimates carry the weights' design
-- effect (Kish).
with

windows as (

    select * from {{ ref('int_qi__project_windows') }}

),

project_practices as (

    select
        evaluation_id,
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
        period_outcomes.evaluation_id,
        project_practices.role,
        period_outcomes.window_name,
        period_outcomes.person_id,
        period_outcomes.imd_quintile,
        period_outcomes.standard_cell,
        period_outcomes.outcome
    from period_outcomes
    inner join project_practices
        on
            period_outcomes.evaluation_id = project_practices.evaluation_id
            and period_outcomes.practice_code = project_practices.practice_code

),

-- a patient counts once per role: their window averages and changes pool every practice of the role
observations as (

    {{ qi_outcome_observations('role_period_outcomes', 'role') }}

),

-- each observation in its quintile (1..5) and in the all-patient subgroup (0)
subgroup_observations as (

    select
        evaluation_id,
        role,
        quantity,
        imd_quintile as subgroup_order,
        standard_cell,
        outcome
    from observations
    where imd_quintile is not null
    union all
    select
        evaluation_id,
        role,
        quantity,
        0 as subgroup_order,
        standard_cell,
        outcome
    from observations

),

crude as (

    select
        evaluation_id,
        role,
        quantity,
        subgroup_order,
        count(*) as n,
        avg(outcome) as estimate,
        sum(outcome) as outcome_sum,
        stddev_samp(outcome) as standard_deviation
    from subgroup_observations
    group by evaluation_id, role, quantity, subgroup_order

),

cells as (

    select
        evaluation_id,
        role,
        quantity,
        subgroup_order,
        standard_cell,
        count(*) as n,
        avg(outcome) as estimate
    from subgroup_observations
    group by evaluation_id, role, quantity, subgroup_order, standard_cell

),

-- Like for like: the comparison practices' patients reweighted to the intervention patients' sex and age-band mix,
-- cell by cell within each quintile (direct standardisation; cells without comparison patients are left out and
-- the weights renormalised, standardisation_coverage says how much of the intervention's mix was matched).
standardised_comparison as (

    select
        intervention.evaluation_id,
        intervention.quantity,
        intervention.subgroup_order,
        sum(intervention.n * comparison.estimate) / sum(intervention.n) as estimate,
        -- Kish's design factor of the weights: var(standardised) = SD^2 sum(w^2 / n_cell), w summing to 1
        sum(intervention.n * intervention.n / comparison.n) / (sum(intervention.n) * sum(intervention.n))
            as weight_variance_factor,
        sum(intervention.n) as matched_intervention_n
    from cells as intervention
    inner join cells as comparison
        on
            intervention.evaluation_id = comparison.evaluation_id
            and intervention.quantity = comparison.quantity
            and intervention.subgroup_order = comparison.subgroup_order
            and intervention.standard_cell = comparison.standard_cell
    where intervention.role = 'intervention' and comparison.role = 'comparison'
    group by intervention.evaluation_id, intervention.quantity, intervention.subgroup_order

),

combined as (

    select
        crude.evaluation_id,
        crude.role,
        crude.quantity,
        crude.subgroup_order,
        crude.n,
        crude.outcome_sum,
        crude.standard_deviation,
        crude.estimate as crude_estimate,
        coalesce(standardised_comparison.estimate, crude.estimate) as estimate,
        standardised_comparison.weight_variance_factor,
        cast(standardised_comparison.matched_intervention_n as {{ type_double() }})
        / nullif(intervention_crude.n, 0) as standardisation_coverage
    from crude
    left join standardised_comparison
        on
            crude.role = 'comparison'
            and crude.evaluation_id = standardised_comparison.evaluation_id
            and crude.quantity = standardised_comparison.quantity
            and crude.subgroup_order = standardised_comparison.subgroup_order
    left join crude as intervention_crude
        on
            crude.role = 'comparison'
            and intervention_crude.role = 'intervention'
            and crude.evaluation_id = intervention_crude.evaluation_id
            and crude.quantity = intervention_crude.quantity
            and crude.subgroup_order = intervention_crude.subgroup_order

),

project_indicators as (

    select distinct
        evaluation_id,
        indicator_id
    from windows

),

crude_se as (

    select
        combined.*,
        indicators.value_type,
        indicators.polarity,
        case
            when indicators.value_type = 'proportion' and combined.quantity <> 'change'
                then {{ proportion_standard_error('least(combined.outcome_sum, combined.n)', 'combined.n') }}
            else combined.standard_deviation / sqrt(cast(combined.n as {{ type_double() }}))
        end as crude_se
    from combined
    inner join project_indicators
        on combined.evaluation_id = project_indicators.evaluation_id
    inner join indicators
        on project_indicators.indicator_id = indicators.indicator_id

)

select
    evaluation_id,
    role,
    quantity,
    cast(subgroup_order as {{ dbt.type_int() }}) as subgroup_order,
    cast(n as {{ dbt.type_bigint() }}) as n,
    cast(n as {{ type_double() }}) as population,
    cast(estimate as {{ type_double() }}) as estimate,
    cast(crude_estimate as {{ type_double() }}) as crude_estimate,
    cast(standard_deviation as {{ type_double() }}) as standard_deviation,
    -- the crude SE, times the design effect of the standardisation weights where they apply
    cast(
        case
            when weight_variance_factor is null then crude_se
            else crude_se * sqrt(greatest(1, n * weight_variance_factor))
        end as {{ type_double() }}
    ) as se,
    cast(standardisation_coverage as {{ type_double() }}) as standardisation_coverage,
    value_type,
    polarity = 'higher_is_better' as is_favourable,
    cast(1 as {{ type_double() }}) as indicator_scale,
    false as is_reference
from crude_se
