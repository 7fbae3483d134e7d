-- Every QI project's practices with their role: 'intervention' (the practices that ran it) or 'comparison'. Named
-- comparison practices are used as given; when a project names none, each intervention practice is matched to its
-- nearest practice that ran no project, on four standardised features (z-scores across all practices): list size,
-- population-weighted IMD score (deprivation mix), the share of patients with a recorded non-White ethnic group
-- (ethnicity mix) and the indicator's practice value at the project's baseline. Distance = Euclidean over the
-- z-scores; a practice matched to two intervention practices is used once. The match and distance are recorded.
with

projects as (

    select * from {{ ref('int_qi__evaluations') }}

),

-- the practice value the match uses: at the last period end of the baseline window
baseline_periods as (

    select
        evaluation_id,
        max(indicator_id) as indicator_id,
        max(period_end) as period_end
    from {{ ref('int_qi__project_windows') }}
    where window_name = 'baseline'
    group by evaluation_id

),

list_positions as (

    {{ qi_list_positions() }}

),

listed_practices as (

    select
        projects.evaluation_id,
        'intervention' as role,
        trim({{ dbt.split_part('projects.practice_codes', "'|'", 'list_positions.list_position') }}) as practice_code
    from projects
    cross join list_positions
    union all
    select
        projects.evaluation_id,
        'comparison' as role,
        trim({{ dbt.split_part('projects.comparison_practice_codes', "'|'", 'list_positions.list_position') }})
    from projects
    cross join list_positions
    where projects.comparison_practice_codes is not null

),

given_practices as (

    select distinct
        evaluation_id,
        role,
        practice_code
    from listed_practices
    where practice_code is not null and practice_code != ''

),

practice_features as (

    select
        windows.evaluation_id,
        practices.practice_code,
        cast(practices.registered_patients as {{ type_double() }}) as registered_patients,
        cast(practices.imd_score_weighted as {{ type_double() }}) as imd_score,
        practices.non_white_share,
        cast(baseline_rates.value as {{ type_double() }}) as baseline_value
    from baseline_periods as windows
    cross join {{ ref('int_practices__practices') }} as practices
    left join {{ ref('int_indicators__rates') }} as baseline_rates
        on
            windows.indicator_id = baseline_rates.indicator_id
            and windows.period_end = baseline_rates.period_end
            and baseline_rates.geography_level = 'practice'
            and practices.practice_code = baseline_rates.geography_code
            and baseline_rates.dimension = 'overall'

),

standardised_features as (

    select
        evaluation_id,
        practice_code,
        (registered_patients - avg(registered_patients) over (partition by evaluation_id))
        / nullif(stddev_samp(registered_patients) over (partition by evaluation_id), 0) as z_list_size,
        (imd_score - avg(imd_score) over (partition by evaluation_id))
        / nullif(stddev_samp(imd_score) over (partition by evaluation_id), 0) as z_imd_score,
        (non_white_share - avg(non_white_share) over (partition by evaluation_id))
        / nullif(stddev_samp(non_white_share) over (partition by evaluation_id), 0) as z_non_white_share,
        (baseline_value - avg(baseline_value) over (partition by evaluation_id))
        / nullif(stddev_samp(baseline_value) over (partition by evaluation_id), 0) as z_baseline_value
    from practice_features

),

projects_to_match as (

    select evaluation_id
    from projects
    where comparison_practice_codes is null

),

candidates as (

    select standardised_features.*
    from standardised_features
    where
        standardised_features.practice_code not in (
            select intervention_practices.practice_code from given_practices as intervention_practices
            where intervention_practices.role = 'intervention'
        )
        and standardised_features.z_list_size is not null
        and standardised_features.z_imd_score is not null
        and standardised_features.z_non_white_share is not null
        and standardised_features.z_baseline_value is not null

),

nearest_candidates as (

    select
        intervention.evaluation_id,
        intervention.practice_code as matched_to_practice_code,
        candidates.practice_code,
        sqrt(
            power(coalesce(candidates.z_list_size - intervention.z_list_size, 0), 2)
            + power(coalesce(candidates.z_imd_score - intervention.z_imd_score, 0), 2)
            + power(coalesce(candidates.z_non_white_share - intervention.z_non_white_share, 0), 2)
            + power(coalesce(candidates.z_baseline_value - intervention.z_baseline_value, 0), 2)
        ) as match_distance,
        row_number() over (
            partition by intervention.evaluation_id, intervention.practice_code
            order by
                sqrt(
                    power(coalesce(candidates.z_list_size - intervention.z_list_size, 0), 2)
                    + power(coalesce(candidates.z_imd_score - intervention.z_imd_score, 0), 2)
                    + power(coalesce(candidates.z_non_white_share - intervention.z_non_white_share, 0), 2)
                    + power(coalesce(candidates.z_baseline_value - intervention.z_baseline_value, 0), 2)
                ),
                candidates.practice_code
        ) as distance_rank
    from given_practices
    inner join projects_to_match
        on given_practices.evaluation_id = projects_to_match.evaluation_id
    inner join standardised_features as intervention
        on
            given_practices.evaluation_id = intervention.evaluation_id
            and given_practices.practice_code = intervention.practice_code
    inner join candidates
        on intervention.evaluation_id = candidates.evaluation_id
    where given_practices.role = 'intervention'

),

matched_practices as (

    select
        evaluation_id,
        practice_code,
        min(matched_to_practice_code) as matched_to_practice_code,
        min(match_distance) as match_distance
    from nearest_candidates
    where distance_rank = 1
    group by evaluation_id, practice_code

),

project_practices as (

    select
        given_practices.evaluation_id,
        given_practices.practice_code,
        given_practices.role,
        case when given_practices.role = 'intervention' then 'listed' else 'named' end as selection,
        cast(null as {{ dbt.type_string() }}) as matched_to_practice_code,
        cast(null as {{ type_double() }}) as match_distance
    from given_practices
    union all
    select
        evaluation_id,
        practice_code,
        'comparison' as role,
        'matched' as selection,
        matched_to_practice_code,
        match_distance
    from matched_practices

)

select
    project_practices.evaluation_id,
    project_practices.practice_code,
    project_practices.role,
    project_practices.selection,
    project_practices.matched_to_practice_code,
    cast(project_practices.match_distance as {{ type_double() }}) as match_distance,
    practice_features.registered_patients,
    practice_features.imd_score,
    practice_features.non_white_share,
    practice_features.baseline_value
from project_practices
left join practice_features
    on
        project_practices.evaluation_id = practice_features.evaluation_id
        and project_practices.practice_code = practice_features.practice_code
