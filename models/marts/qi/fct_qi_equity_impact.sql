-- Did each QI project improve its indicator, and was the improvement shared fairly? One row per project: level,
-- absolute gap and SII before and after in its practices (cross-sectional, over the baseline and follow-up
-- windows of int_qi__project_windows), the within-patient change of each, the same for the comparison practices,
-- and the differences in differences (intervention change minus comparison change) with 95% intervals (normal;
-- SE = sqrt of the summed variances). Gaps are oriented as WHO HEAT: positive = the most deprived quintile is worse
-- off (least minus most deprived when higher is better, most minus least deprived when lower is better). SII
-- follows PHE (least minus most deprived, not oriented); widening is read through the polarity.
-- Verdict rule (one of six), effects = differences in differences (the intervention's own change when a project
-- has no comparison practices), "clear" = the 95% interval excludes 0:
--   improved     the level moved clearly in the indicator's better direction;  worsened: clearly the other way;
--   widened      the SII moved clearly towards the less deprived (the advantaged gained more);  narrowed: the
--                opposite;  otherwise the gap is unchanged;
--   improved and narrowed | improved but widened | improved, gap unchanged | worsened (level clearly worse) |
--   levelled down (gap narrowed, level not improved, and the least deprived quintile clearly worse off) |
--   no clear change (anything else).
{%- set z = z_value(0.95) %}
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
        polarity
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

effects as (

    select
        projects.project_id,
        projects.title as project_name,
        projects.indicator_id,
        indicators.polarity,
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
        ) as level_effect_se,
        case
            when comparison.gap_change is null then intervention.gap_change
            else intervention.gap_change - comparison.gap_change
        end as gap_effect,
        sqrt(
            intervention.gap_change_se * intervention.gap_change_se
            + coalesce(comparison.gap_change_se * comparison.gap_change_se, 0)
        ) as gap_effect_se,
        case
            when comparison.sii_change is null then intervention.sii_change
            else intervention.sii_change - comparison.sii_change
        end as sii_effect,
        sqrt(
            intervention.sii_change_se * intervention.sii_change_se
            + coalesce(comparison.sii_change_se * comparison.sii_change_se, 0)
        ) as sii_effect_se,
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

judged as (

    select
        effects.*,
        case
            when effects.level_effect - {{ z }} * effects.level_effect_se > 0 then effects.better_sign
            when effects.level_effect + {{ z }} * effects.level_effect_se < 0 then -effects.better_sign
            else 0
        end as level_direction,
        -- +1 widened (the less deprived end gained relative to the most deprived), -1 narrowed, 0 unchanged
        case
            when effects.sii_effect - {{ z }} * effects.sii_effect_se > 0 then effects.better_sign
            when effects.sii_effect + {{ z }} * effects.sii_effect_se < 0 then -effects.better_sign
            else 0
        end as gap_direction,
        case
            when effects.least_deprived_effect - {{ z }} * effects.least_deprived_effect_se > 0 then effects.better_sign
            when
                effects.least_deprived_effect + {{ z }} * effects.least_deprived_effect_se < 0
                then -effects.better_sign
            else 0
        end as least_deprived_direction
    from effects

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
    cast(comparison_level_before as {{ type_double() }}) as comparison_level_before,
    cast(comparison_level_after as {{ type_double() }}) as comparison_level_after,
    cast(comparison_level_change as {{ type_double() }}) as comparison_level_change,
    cast(comparison_gap_change as {{ type_double() }}) as comparison_gap_change,
    cast(comparison_sii_change as {{ type_double() }}) as comparison_sii_change,
    case
        when level_effect is null or sii_effect is null then 'not estimable'
        when level_direction = 1 and gap_direction = -1 then 'improved and narrowed'
        when level_direction = 1 and gap_direction = 1 then 'improved but widened'
        when level_direction = 1 then 'improved, gap unchanged'
        when level_direction = -1 then 'worsened'
        when gap_direction = -1 and least_deprived_direction = -1 then 'levelled down'
        else 'no clear change'
    end as verdict
from judged
