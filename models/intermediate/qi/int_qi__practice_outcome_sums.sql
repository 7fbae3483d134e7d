-- The practice-level sums behind placebo inference (int_qi__placebo_inference): for every QI project and every
-- practice with patients in the project's windows, per quantity and IMD quintile (0 = all patients), the number of
-- patients and the sum and sum of squares of their outcomes, so that any set of practices' pooled means and SDs
-- follow by adding rows. Outcomes as int_qi__project_subgroups (a patient's average over the window's period ends
-- at which they are in the denominator: 1 / 0 for proportions, the value for means), per practice: a patient counts
-- at each practice they were in the denominator at, and the within-patient change pairs the windows at one
-- practice (the patients registered there across the project: a fixed cohort).
with

windows as (

    select * from {{ ref('int_qi__project_windows') }}

),

indicators as (

    select
        indicator_id,
        value_type
    from {{ ref('ref_indicators') }}

),

patient_period_outcomes as (

    select
        windows.project_id,
        practices.ods_code as practice_code,
        case windows.window_name when 'baseline' then 'before' else 'after' end as window_name,
        outcomes.person_id,
        strata.imd_quintile,
        cast(
            case
                when indicators.value_type = 'mean' then outcomes.value
                when outcomes.in_numerator then 1
                else 0
            end as {{ type_double() }}
        ) as outcome
    from windows
    inner join indicators
        on windows.indicator_id = indicators.indicator_id
    inner join {{ ref('int_indicators__patient_outcomes') }} as outcomes
        on
            windows.indicator_id = outcomes.indicator_id
            and windows.period_end = outcomes.period_end
    inner join {{ ref('stg_discovery__organization') }} as practices
        on outcomes.organization_id = practices.id
    inner join {{ ref('int_indicators__strata') }} as strata
        on outcomes.stratum_id = strata.stratum_id
    where
        outcomes.in_denominator
        and (indicators.value_type = 'proportion' or outcomes.value is not null)

),

patient_outcomes as (

    select
        project_id,
        practice_code,
        window_name,
        person_id,
        max(imd_quintile) as imd_quintile,
        avg(outcome) as outcome
    from patient_period_outcomes
    group by project_id, practice_code, window_name, person_id

),

observations as (

    select
        project_id,
        practice_code,
        case window_name when 'before' then 'level_before' else 'level_after' end as quantity,
        imd_quintile,
        outcome
    from patient_outcomes
    union all
    select
        before_rows.project_id,
        before_rows.practice_code,
        'change' as quantity,
        before_rows.imd_quintile,
        after_rows.outcome - before_rows.outcome as outcome
    from patient_outcomes as before_rows
    inner join patient_outcomes as after_rows
        on
            before_rows.project_id = after_rows.project_id
            and before_rows.practice_code = after_rows.practice_code
            and before_rows.person_id = after_rows.person_id
    where before_rows.window_name = 'before' and after_rows.window_name = 'after'

),

by_quintile as (

    select
        project_id,
        practice_code,
        quantity,
        imd_quintile as subgroup_order,
        count(*) as n,
        sum(outcome) as sum_outcome,
        sum(outcome * outcome) as sum_squares
    from observations
    where imd_quintile is not null
    group by project_id, practice_code, quantity, imd_quintile

),

overall as (

    select
        project_id,
        practice_code,
        quantity,
        0 as subgroup_order,
        count(*) as n,
        sum(outcome) as sum_outcome,
        sum(outcome * outcome) as sum_squares
    from observations
    group by project_id, practice_code, quantity

),

sums as (

    select * from by_quintile
    union all
    select * from overall

)

select
    project_id,
    practice_code,
    quantity,
    cast(subgroup_order as {{ dbt.type_int() }}) as subgroup_order,
    cast(n as {{ dbt.type_bigint() }}) as n,
    cast(sum_outcome as {{ type_double() }}) as sum_outcome,
    cast(sum_squares as {{ type_double() }}) as sum_squares
from sums
