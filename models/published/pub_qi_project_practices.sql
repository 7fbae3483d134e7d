-- QI projects' practices for BI and the QI report (published.qi_project_practices): fct_qi_project_practices, each
-- project's intervention and comparison practices, how comparison practices were chosen, and the features a match
-- used. The registered list is a person count, rounded to the nearest 5 (withheld from 1 to 7).
with

project_practices as (

    select
        project_id,
        practice_code,
        role,
        practice_start_date,
        selection,
        matched_to_practice_code,
        match_distance,
        registered_patients,
        imd_score,
        non_white_share,
        baseline_value
    from {{ ref('fct_qi_project_practices') }}

),

published as (

    select
        project_id,
        practice_code,
        role,
        practice_start_date,
        selection,
        matched_to_practice_code,
        match_distance,
        {{ sdc_rounded_count('cast(registered_patients as ' ~ dbt.type_bigint() ~ ')') }} as registered_patients,
        imd_score,
        non_white_share,
        baseline_value
    from project_practices

)

select * from published
