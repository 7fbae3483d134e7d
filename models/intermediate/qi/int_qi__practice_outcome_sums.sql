-- The practice-level sums behind placebo inference (int_qi__placebo_inference): for every QI project and every
-- practice with patients in the project's windows, per quantity and IMD quintile (0 = all patients), the number of
-- patients and the sum and sum of squares of their outcomes, so that any set of practices' pooled means and SDs
-- follow by adding rows. Outcomes as int_qi__project_subgroups (a patient's average over the window's period ends
-- at which they are in the denominator: 1 / 0 for proportions, the value for means), per practice: a patient counts
-- at each practice they were in the denominator at, and the within-patient change pairs the windows at one
-- practice (the patients registered there across the project: a fixed cohort).
with

period_outcomes as (

    {{ qi_patient_period_outcomes() }}

),

observations as (

    {{ qi_outcome_observations('period_outcomes', 'practice_code') }}

),

by_quintile as (

    select
        evaluation_id,
        practice_code,
        quantity,
        imd_quintile as subgroup_order,
        count(*) as n,
        sum(outcome) as sum_outcome,
        sum(outcome * outcome) as sum_squares
    from observations
    where imd_quintile is not null
    group by evaluation_id, practice_code, quantity, imd_quintile

),

overall as (

    select
        evaluation_id,
        practice_code,
        quantity,
        0 as subgroup_order,
        count(*) as n,
        sum(outcome) as sum_outcome,
        sum(outcome * outcome) as sum_squares
    from observations
    group by evaluation_id, practice_code, quantity

),

sums as (

    select * from by_quintile
    union all
    select * from overall

)

select
    evaluation_id,
    practice_code,
    quantity,
    cast(subgroup_order as {{ dbt.type_int() }}) as subgroup_order,
    cast(n as {{ dbt.type_bigint() }}) as n,
    cast(sum_outcome as {{ type_double() }}) as sum_outcome,
    cast(sum_squares as {{ type_double() }}) as sum_squares
from sums
