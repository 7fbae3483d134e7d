-- Each QI project's difference in differences, the primary design behind its verdict (fct_qi_equity_impact): level,
-- absolute gap and SII before and after in its practices (cross-sectional, over the baseline and follow-up windows
-- of int_qi__project_windows), their within-patient changes, the same for the comparison practices, and the
-- differences in differences (intervention change minus comparison change; the intervention's own change when a
-- project has no comparison practices) with the standard error each is judged by: the SD of placebo effects between
-- practice sets that ran no project (int_qi__placebo_inference; it holds practice drift, which patient-level SEs
-- ignore), or the patient-level SE (sqrt of the summed variances) when larger or when no placebo inference could be
-- made (inference_method). Gaps are oriented as WHO HEAT: positive = the most deprived quintile is worse off; SII
-- follows PHE (least minus most deprived, not oriented). One row per evaluation (int_qi__evaluations: a project, or
-- one start cohort of a staggered project, from its own start; int_qi__project_effects aggregates the cohorts).
{%- set min_placebo_draws = 200 %}
with

projects as (

    select * from {{ ref('int_qi__evaluations') }}

),

windows as (

    select
        evaluation_id,
        min(case when window_name = 'baseline' then period_end end) as baseline_window_start,
        max(case when window_name = 'baseline' then period_end end) as baseline_window_end,
        min(case when window_name = 'follow_up' then period_end end) as follow_up_window_start,
        max(case when window_name = 'follow_up' then period_end end) as follow_up_window_end
    from {{ ref('int_qi__project_windows') }}
    group by evaluation_id

),

indicators as (

    select
        indicator_id,
        polarity,
        equivalence_margin
    from {{ ref('ref_indicators') }}

),

role_estimates as (

    select * from {{ ref('int_qi__project_role_estimates') }}

),

practice_counts as (

    select
        evaluation_id,
        sum(case when role = 'intervention' then 1 else 0 end) as n_intervention_practices,
        sum(case when role = 'comparison' then 1 else 0 end) as n_comparison_practices,
        max(case when selection = 'matched' then 1 else 0 end) = 1 as has_matched_comparison
    from {{ ref('int_qi__project_practices') }}
    group by evaluation_id

),

-- Practice-level standard errors (int_qi__placebo_inference), where the placebo pool allowed enough draws.
placebo as (

    select
        evaluation_id,
        {%- for measure in ['level', 'gap', 'sii'] %}
        max(
            case when measure = '{{ measure }}' and n_placebo_draws >= {{ min_placebo_draws }} then placebo_sd end
        ) as {{ measure }}_placebo_sd,
        {%- endfor %}
        max(n_pool_practices) as n_placebo_practices
    from {{ ref('int_qi__placebo_inference') }}
    group by evaluation_id

),

effects_by_patient as (

    select
        projects.evaluation_id,
        projects.project_id,
        projects.n_start_cohorts,
        projects.project_start_date,
        projects.title as project_name,
        projects.indicator_id,
        indicators.polarity,
        indicators.equivalence_margin,
        projects.start_date,
        projects.end_date,
        windows.baseline_window_start,
        windows.baseline_window_end,
        windows.follow_up_window_start,
        windows.follow_up_window_end,
        intervention.change_design,
        intervention.n_patients_after,
        intervention.n_paired_patients,
        intervention.level_before,
        intervention.level_before_se,
        intervention.level_after,
        intervention.level_after_se,
        intervention.level_change,
        intervention.level_change_se,
        intervention.gap_before,
        intervention.gap_before_se,
        intervention.gap_after,
        intervention.gap_after_se,
        intervention.gap_change,
        intervention.gap_change_se,
        intervention.sii_before,
        intervention.sii_before_se,
        intervention.sii_after,
        intervention.sii_after_se,
        intervention.sii_change,
        intervention.sii_change_se,
        comparison.level_before as comparison_level_before,
        comparison.level_after as comparison_level_after,
        comparison.level_change as comparison_level_change,
        comparison.level_change_se as comparison_level_change_se,
        comparison.gap_change as comparison_gap_change,
        comparison.sii_change as comparison_sii_change,
        -- differences in differences (the intervention's own change when there is no comparison), with the
        -- patient-level SE (the least deprived quintile's effect is judged by it: it only qualifies a verdict)
        {%- for measure in ['level', 'gap', 'sii', 'least_deprived'] %}
        case
            when comparison.{{ measure }}_change is null then intervention.{{ measure }}_change
            else intervention.{{ measure }}_change - comparison.{{ measure }}_change
        end as {{ measure }}_effect,
        sqrt(
            intervention.{{ measure }}_change_se * intervention.{{ measure }}_change_se
            + coalesce(comparison.{{ measure }}_change_se * comparison.{{ measure }}_change_se, 0)
        ) as {{ measure }}_effect_{{ 'se' if measure == 'least_deprived' else 'patient_se' }},
        {%- endfor %}
        case when indicators.polarity = 'higher_is_better' then 1 else -1 end as better_sign,
        coalesce(practice_counts.n_intervention_practices, 0) as n_intervention_practices,
        coalesce(practice_counts.n_comparison_practices, 0) as n_comparison_practices,
        case
            when coalesce(practice_counts.n_comparison_practices, 0) = 0 then 'none'
            when practice_counts.has_matched_comparison then 'matched'
            else 'named'
        end as comparison_method
    from projects
    inner join indicators
        on projects.indicator_id = indicators.indicator_id
    left join windows
        on projects.evaluation_id = windows.evaluation_id
    left join practice_counts
        on projects.evaluation_id = practice_counts.evaluation_id
    left join role_estimates as intervention
        on projects.evaluation_id = intervention.evaluation_id and intervention.role = 'intervention'
    left join role_estimates as comparison
        on
            projects.evaluation_id = comparison.evaluation_id
            and comparison.role = 'comparison'
            and coalesce(practice_counts.n_comparison_practices, 0) > 0

),

-- The standard error each effect is judged by: the placebo SD (practice drift and sampling noise of sets of the
-- project's sizes) or the patient-level SE, whichever is larger; the patient-level SE alone when no placebo
-- inference could be made (too few other practices). A gap or SII whose placebo sets too rarely had every
-- quintile's minimum patients takes the level's practice-to-patient SE ratio.
effects as (

    select
        effects_by_patient.*,
        {%- for measure in ['level', 'gap', 'sii'] %}
        case
            when placebo.{{ measure }}_placebo_sd is not null
                then greatest(placebo.{{ measure }}_placebo_sd, effects_by_patient.{{ measure }}_effect_patient_se)
            -- too few placebo sets had every quintile's minimum patients: the patient-level SE inflated by the
            -- level's ratio of practice-level to patient-level SE (practice drift moves a practice's quintiles alike)
            when placebo.level_placebo_sd is not null
                then effects_by_patient.{{ measure }}_effect_patient_se * greatest(
                    1, placebo.level_placebo_sd / nullif(effects_by_patient.level_effect_patient_se, 0)
                )
            else effects_by_patient.{{ measure }}_effect_patient_se
        end as {{ measure }}_effect_se,
        {%- endfor %}
        case
            when
                placebo.level_placebo_sd is not null and placebo.gap_placebo_sd is not null
                and placebo.sii_placebo_sd is not null
                then 'placebo'
            when placebo.level_placebo_sd is not null then 'placebo (gap scaled from level)'
            else 'patient'
        end as inference_method,
        placebo.n_placebo_practices
    from effects_by_patient
    left join placebo
        on effects_by_patient.evaluation_id = placebo.evaluation_id

)

select * from effects
