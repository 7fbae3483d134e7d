-- Every QI project's practices and their role, with how comparison practices were chosen (named in the project
-- list, or matched: to which intervention practice, at what distance) and the features the match used, and when each
-- intervention practice started (a staggered project's practices start on their own dates). A comparison practice
-- serves every start cohort of a staggered project: it is listed once, from the earliest cohort it serves.
with

evaluation_practices as (

    select
        project_practices.*,
        evaluations.project_id,
        evaluations.start_date as cohort_start_date
    from {{ ref('int_qi__project_practices') }} as project_practices
    inner join {{ ref('int_qi__evaluations') }} as evaluations
        on project_practices.evaluation_id = evaluations.evaluation_id

),

first_cohort_rows as (

    select
        evaluation_practices.*,
        row_number() over (
            partition by evaluation_practices.project_id, evaluation_practices.practice_code
            order by evaluation_practices.cohort_start_date
        ) as cohort_rank
    from evaluation_practices

)

select
    project_id,
    practice_code,
    role,
    selection,
    matched_to_practice_code,
    match_distance,
    registered_patients,
    imd_score,
    non_white_share,
    baseline_value,
    case when role = 'intervention' then cohort_start_date end as practice_start_date
from first_cohort_rows
where cohort_rank = 1
