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
-- SE = SD / sqrt(n) across patients (normal approximation; proportions and their changes alike).
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

patients as (

    select
        outcomes.indicator_id,
        outcomes.period_end,
        outcomes.person_id,
        practices.ods_code as practice_code,
        strata.imd_quintile,
        outcomes.in_denominator,
        outcomes.in_numerator,
        outcomes.value
    from {{ ref('int_indicators__patient_outcomes') }} as outcomes
    inner join {{ ref('stg_discovery__organization') }} as practices
        on outcomes.organization_id = practices.id
    inner join {{ ref('int_indicators__strata') }} as strata
        on outcomes.stratum_id = strata.stratum_id

),

patient_period_outcomes as (

    select
        windows.project_id,
        project_practices.role,
        windows.window_name,
        patients.person_id,
        patients.imd_quintile,
        cast(
            case
                when indicators.value_type = 'mean' then patients.value
                when patients.in_numerator then 1
                else 0
            end as {{ type_double() }}
        ) as outcome
    from windows
    inner join indicators
        on windows.indicator_id = indicators.indicator_id
    inner join patients
        on
            windows.indicator_id = patients.indicator_id
            and windows.period_end = patients.period_end
    inner join project_practices
        on
            windows.project_id = project_practices.project_id
            and patients.practice_code = project_practices.practice_code
    where
        patients.in_denominator
        and (indicators.value_type = 'proportion' or patients.value is not null)

),

patient_outcomes as (

    select
        project_id,
        role,
        person_id,
        case window_name when 'baseline' then 'before' else 'after' end as window_name,
        max(imd_quintile) as imd_quintile,
        avg(outcome) as outcome
    from patient_period_outcomes
    group by project_id, role, window_name, person_id

),

paired_changes as (

    select
        before_rows.project_id,
        before_rows.role,
        before_rows.imd_quintile,
        after_rows.outcome - before_rows.outcome as outcome
    from patient_outcomes as before_rows
    inner join patient_outcomes as after_rows
        on
            before_rows.project_id = after_rows.project_id
            and before_rows.role = after_rows.role
            and before_rows.person_id = after_rows.person_id
    where before_rows.window_name = 'before' and after_rows.window_name = 'after'

),

observations as (

    select
        project_id,
        role,
        case window_name when 'before' then 'level_before' else 'level_after' end as quantity,
        imd_quintile,
        outcome
    from patient_outcomes
    union all
    select
        project_id,
        role,
        'change' as quantity,
        imd_quintile,
        outcome
    from paired_changes

),

by_quintile as (

    select
        project_id,
        role,
        quantity,
        imd_quintile as subgroup_order,
        count(*) as n,
        avg(outcome) as estimate,
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
    cast(combined.standard_deviation / sqrt(cast(combined.n as {{ type_double() }})) as {{ type_double() }}) as se,
    indicators.value_type,
    indicators.polarity = 'higher_is_better' as is_favourable,
    cast(1 as {{ type_double() }}) as indicator_scale,
    false as is_reference
from combined
inner join project_indicators
    on combined.project_id = project_indicators.project_id
inner join indicators
    on project_indicators.indicator_id = indicators.indicator_id
