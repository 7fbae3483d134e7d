-- Did each QI project improve its indicator, and was the improvement shared fairly? One row per project: level,
-- absolute gap and SII before and after in its practices (cross-sectional, over the baseline and follow-up
-- windows of int_qi__project_windows), the within-patient change of each, the same for the comparison practices,
-- and the differences in differences (intervention change minus comparison change) with 95% intervals and minimum
-- detectable effects (80% power). The intervals of the effects are normal, effect +/- 1.96 SE, with the SE at
-- practice level where possible: the SD of placebo effects between practice sets that ran no project
-- (int_qi__placebo_inference; it holds practice drift, which patient-level SEs ignore), or the patient-level SE
-- (sqrt of the summed variances) when larger or when no placebo inference could be made (inference_method). Gaps
-- are oriented as WHO HEAT: positive = the most deprived quintile is worse off (least minus most deprived when higher
-- is better, most minus least deprived when lower is better). SII follows PHE (least minus most deprived, not
-- oriented); widening is read through the polarity.
-- Each component reads (macro qi_judgement; effects = differences in differences, the intervention's own change
-- when a project has no comparison practices): clear (improved / worsened, widened / narrowed) when its 95%
-- interval excludes 0, 'unchanged' only when the whole interval lies inside +/- the indicator's equivalence margin
-- (ref_indicators), otherwise 'not clear'. The level is judged on level_effect, the gap on sii_effect. The verdict
-- (macro qi_verdict, which lists its 15 strings) keeps the plain words for clear results and says 'not clear'
-- otherwise; verdict_note says why and what the project could detect.
{%- set z = z_value(0.95) %}
{%- set min_patients = var('inequality_min_subgroup_denominator') %}
{%- set min_placebo_draws = 200 %}
with

projects as (

    select * from {{ ref('stg_qi__projects') }}

),

windows as (

    select
        project_id,
        min(case when window_name = 'baseline' then period_end end) as baseline_window_start,
        max(case when window_name = 'baseline' then period_end end) as baseline_window_end,
        min(case when window_name = 'follow_up' then period_end end) as follow_up_window_start,
        max(case when window_name = 'follow_up' then period_end end) as follow_up_window_end
    from {{ ref('int_qi__project_windows') }}
    group by project_id

),

indicators as (

    select
        indicator_id,
        polarity,
        equivalence_margin
    from {{ ref('dim_indicator') }}

),

role_estimates as (

    select * from {{ ref('int_qi__project_role_estimates') }}

),

practice_counts as (

    select
        project_id,
        sum(case when role = 'intervention' then 1 else 0 end) as n_intervention_practices,
        sum(case when role = 'comparison' then 1 else 0 end) as n_comparison_practices,
        max(case when selection = 'matched' then 1 else 0 end) = 1 as has_matched_comparison
    from {{ ref('int_qi__project_practices') }}
    group by project_id

),

-- Practice-level standard errors (int_qi__placebo_inference), where the placebo pool allowed enough draws.
placebo as (

    select
        project_id,
        {%- for measure in ['level', 'gap', 'sii'] %}
        max(
            case when measure = '{{ measure }}' and n_placebo_draws >= {{ min_placebo_draws }} then placebo_sd end
        ) as {{ measure }}_placebo_sd,
        {%- endfor %}
        max(n_pool_practices) as n_placebo_practices
    from {{ ref('int_qi__placebo_inference') }}
    group by project_id

),

effects_by_patient as (

    select
        projects.project_id,
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
        case when indicators.polarity = 'higher_is_better' then 1 else -1 end as better_sign,
        coalesce(practice_counts.n_intervention_practices, 0) as n_intervention_practices,
        coalesce(practice_counts.n_comparison_practices, 0) as n_comparison_practices,
        case
            when coalesce(practice_counts.n_comparison_practices, 0) = 0 then 'none'
            when practice_counts.has_matched_comparison then 'matched'
            else 'named'
        end as comparison_method,
        -- differences in differences (the intervention's own change when there is no comparison)
        case
            when comparison.level_change is null then intervention.level_change
            else intervention.level_change - comparison.level_change
        end as level_effect,
        sqrt(
            intervention.level_change_se * intervention.level_change_se
            + coalesce(comparison.level_change_se * comparison.level_change_se, 0)
        ) as level_effect_patient_se,
        case
            when comparison.gap_change is null then intervention.gap_change
            else intervention.gap_change - comparison.gap_change
        end as gap_effect,
        sqrt(
            intervention.gap_change_se * intervention.gap_change_se
            + coalesce(comparison.gap_change_se * comparison.gap_change_se, 0)
        ) as gap_effect_patient_se,
        case
            when comparison.sii_change is null then intervention.sii_change
            else intervention.sii_change - comparison.sii_change
        end as sii_effect,
        sqrt(
            intervention.sii_change_se * intervention.sii_change_se
            + coalesce(comparison.sii_change_se * comparison.sii_change_se, 0)
        ) as sii_effect_patient_se,
        case
            when comparison.least_deprived_change is null then intervention.least_deprived_change
            else intervention.least_deprived_change - comparison.least_deprived_change
        end as least_deprived_effect,
        sqrt(
            intervention.least_deprived_change_se * intervention.least_deprived_change_se
            + coalesce(comparison.least_deprived_change_se * comparison.least_deprived_change_se, 0)
        ) as least_deprived_effect_se
    from projects
    inner join indicators
        on projects.indicator_id = indicators.indicator_id
    left join windows
        on projects.project_id = windows.project_id
    left join practice_counts
        on projects.project_id = practice_counts.project_id
    left join role_estimates as intervention
        on projects.project_id = intervention.project_id and intervention.role = 'intervention'
    left join role_estimates as comparison
        on
            projects.project_id = comparison.project_id
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
        on effects_by_patient.project_id = placebo.project_id

),

judged as (

    select
        effects.*,
        {{ qi_judgement(
            'effects.level_effect', 'effects.level_effect_se', 'effects.better_sign', 'effects.equivalence_margin',
            'improved', 'worsened'
        ) }} as level_judgement,
        -- the less deprived end gaining relative to the most deprived widens the gap
        {{ qi_judgement(
            'effects.sii_effect', 'effects.sii_effect_se', 'effects.better_sign', 'effects.equivalence_margin',
            'widened', 'narrowed'
        ) }} as gap_judgement,
        {{ qi_judgement(
            'effects.least_deprived_effect', 'effects.least_deprived_effect_se', 'effects.better_sign',
            'effects.equivalence_margin', 'better', 'worse'
        ) }} as least_deprived_judgement
    from effects

),

verdicts as (

    select
        judged.*,
        {{ qi_verdict('judged.level_judgement', 'judged.gap_judgement', 'judged.least_deprived_judgement') }} as verdict
    from judged

),

-- Why a verdict is not estimable or not clear, with what the project could detect and what would help.
notes as (

    select
        verdicts.*,
        case
            when
                verdicts.verdict = 'not estimable'
                and (verdicts.baseline_window_start is null or verdicts.follow_up_window_start is null)
                then 'not estimable: a window has no period end in the data (before the monthly history?)'
            when verdicts.verdict = 'not estimable' and verdicts.level_effect is null
                then 'not estimable: no patient of a role is in both windows (an age-defined cohort moves on)'
            when verdicts.verdict = 'not estimable'
                then 'not estimable: a quintile of a role has under {{ min_patients }} patients in a window: no SII'
            when verdicts.level_judgement = 'not clear' or verdicts.gap_judgement = 'not clear'
                then {{ dbt.concat([
                    qi_not_clear_note(
                        'level', 'level_judgement', 'level_effect', 'level_effect_se', 'equivalence_margin'
                    ),
                    qi_not_clear_note('gap', 'gap_judgement', 'sii_effect', 'sii_effect_se', 'equivalence_margin'),
                    "'More practices, in both roles, or a longer follow-up would narrow the intervals.'",
                ]) }}
        end as verdict_note
    from verdicts

)

select
    project_id,
    project_name,
    indicator_id,
    polarity,
    start_date,
    end_date,
    baseline_window_start,
    baseline_window_end,
    follow_up_window_start,
    follow_up_window_end,
    cast(n_intervention_practices as {{ dbt.type_int() }}) as n_intervention_practices,
    cast(n_comparison_practices as {{ dbt.type_int() }}) as n_comparison_practices,
    comparison_method,
    cast(n_patients_after as {{ dbt.type_bigint() }}) as n_patients_after,
    cast(n_paired_patients as {{ dbt.type_bigint() }}) as n_paired_patients,
    {%- for name in ['level_before', 'level_after', 'level_change', 'gap_before', 'gap_after', 'gap_change',
        'sii_before', 'sii_after', 'sii_change', 'level_effect', 'gap_effect', 'sii_effect'] %}
    cast({{ name }} as {{ type_double() }}) as {{ name }},
    cast({{ name }} - {{ z }} * {{ name }}_se as {{ type_double() }}) as {{ name }}_ci_lower,
    cast({{ name }} + {{ z }} * {{ name }}_se as {{ type_double() }}) as {{ name }}_ci_upper,
    {%- endfor %}
    {%- for name in ['level_effect', 'gap_effect', 'sii_effect'] %}
    cast({{ minimum_detectable_effect(name ~ '_se') }} as {{ type_double() }}) as {{ name }}_mde,
    {%- endfor %}
    cast(equivalence_margin as {{ type_double() }}) as equivalence_margin,
    cast(inference_method as {{ dbt.type_string() }}) as inference_method,
    cast(n_placebo_practices as {{ dbt.type_int() }}) as n_placebo_practices,
    cast(comparison_level_before as {{ type_double() }}) as comparison_level_before,
    cast(comparison_level_after as {{ type_double() }}) as comparison_level_after,
    cast(comparison_level_change as {{ type_double() }}) as comparison_level_change,
    cast(comparison_gap_change as {{ type_double() }}) as comparison_gap_change,
    cast(comparison_sii_change as {{ type_double() }}) as comparison_sii_change,
    cast(level_judgement as {{ dbt.type_string() }}) as level_judgement,
    cast(gap_judgement as {{ dbt.type_string() }}) as gap_judgement,
    cast(verdict as {{ dbt.type_string() }}) as verdict,
    cast(verdict_note as {{ dbt.type_string() }}) as verdict_note
from notes
