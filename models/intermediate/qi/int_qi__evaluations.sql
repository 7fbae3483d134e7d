-- What the QI chain evaluates: one row per project and start cohort. A project whose practices all start on its
-- start date (no practice_start_dates) is one evaluation with the project's id. A staggered project (a PCN rolling
-- out practice by practice: practice_start_dates) is split into its start cohorts, the practices starting on one
-- date, each evaluated from its own start against the project's comparison practices, which never start (group-time
-- effects with never-treated comparisons, as Callaway and Sant'Anna 2021); int_qi__project_effects aggregates the
-- cohorts back into the project. Evaluation id: the project id, or '<project id>@<cohort start date>' when staggered.
with

projects as (

    select * from {{ ref('stg_qi__projects') }}

),

list_positions as (

    {{ qi_list_positions() }}

),

listed_starts as (

    select
        projects.project_id,
        list_positions.list_position,
        trim({{ dbt.split_part('projects.practice_codes', "'|'", 'list_positions.list_position') }}) as practice_code,
        trim({{ dbt.split_part('projects.practice_start_dates', "'|'", 'list_positions.list_position') }})
            as practice_start_text
    from projects
    cross join list_positions
    where projects.practice_start_dates is not null

),

practice_starts as (

    select
        project_id,
        list_position,
        cast(nullif(practice_start_text, '') as date) as practice_start_date,
        nullif(practice_code, '') as practice_code
    from listed_starts
    where coalesce(practice_code, '') != '' or coalesce(practice_start_text, '') != ''

),

-- how many practices and start dates each staggered project lists (a test requires them equal)
list_lengths as (

    select
        project_id,
        count(practice_code) as n_listed_practices,
        count(practice_start_date) as n_listed_start_dates,
        count(distinct practice_start_date) as n_start_cohorts
    from practice_starts
    group by project_id

),

cohorts as (

    select
        project_id,
        practice_start_date as start_date,
        {{ dbt.listagg('practice_code', "'|'", 'order by list_position') }} as practice_codes
    from practice_starts
    where practice_code is not null and practice_start_date is not null
    group by project_id, practice_start_date

),

evaluations as (

    select
        projects.project_id as evaluation_id,
        projects.project_id,
        projects.practice_codes,
        projects.start_date,
        1 as n_start_cohorts,
        cast(null as {{ dbt.type_int() }}) as n_listed_practices,
        cast(null as {{ dbt.type_int() }}) as n_listed_start_dates
    from projects
    where projects.practice_start_dates is null
    union all
    select
        case
            when list_lengths.n_start_cohorts = 1 then cohorts.project_id
            else {{ dbt.concat([
                'cohorts.project_id', "'@'", 'cast(cohorts.start_date as ' ~ dbt.type_string() ~ ')'
            ]) }}
        end as evaluation_id,
        cohorts.project_id,
        cohorts.practice_codes,
        cohorts.start_date,
        list_lengths.n_start_cohorts,
        list_lengths.n_listed_practices,
        list_lengths.n_listed_start_dates
    from cohorts
    inner join list_lengths
        on cohorts.project_id = list_lengths.project_id

)

select
    evaluations.evaluation_id,
    evaluations.project_id,
    projects.title,
    projects.indicator_id,
    evaluations.practice_codes,
    projects.comparison_practice_codes,
    evaluations.start_date,
    projects.end_date,
    projects.start_date as project_start_date,
    cast(evaluations.n_start_cohorts as {{ dbt.type_int() }}) as n_start_cohorts,
    cast(evaluations.n_listed_practices as {{ dbt.type_int() }}) as n_listed_practices,
    cast(evaluations.n_listed_start_dates as {{ dbt.type_int() }}) as n_listed_start_dates
from evaluations
inner join projects
    on evaluations.project_id = projects.project_id
