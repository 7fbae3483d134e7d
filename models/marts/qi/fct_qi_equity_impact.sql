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
{%- set partition_by = ['project_id', 'role', 'quantity'] %}
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

subgroups as (

    select * from {{ ref('int_qi__project_subgroups') }}

),

quintiles as (

    select * from subgroups
    where subgroup_order between 1 and 5

),

complete_gradient_keys as (

    select
        project_id,
        role,
        quantity
    from quintiles
    where n >= 2
    group by project_id, role, quantity
    having count(*) = 5

),

complete_gradients as (

    select quintiles.*
    from quintiles
    inner join complete_gradient_keys
        on
            quintiles.project_id = complete_gradient_keys.project_id
            and quintiles.role = complete_gradient_keys.role
            and quintiles.quantity = complete_gradient_keys.quantity

),

slope_indices as (

    select
        project_id,
        role,
        quantity,
        estimate,
        se
    from ({{ inequality_sii_phe('complete_gradients', partition_by, value_type=0) }}) as sii
    where measure = 'sii'

),

-- The absolute gap: most vs least deprived quintile, oriented so that positive = the most deprived worse off.
gaps as (

    select
        most_deprived.project_id,
        most_deprived.role,
        most_deprived.quantity,
        case
            when most_deprived.is_favourable then least_deprived.estimate - most_deprived.estimate
            else most_deprived.estimate - least_deprived.estimate
        end as estimate,
        sqrt(most_deprived.se * most_deprived.se + least_deprived.se * least_deprived.se) as se
    from quintiles as most_deprived
    inner join quintiles as least_deprived
        on
            most_deprived.project_id = least_deprived.project_id
            and most_deprived.role = least_deprived.role
            and most_deprived.quantity = least_deprived.quantity
    where most_deprived.subgroup_order = 1 and least_deprived.subgroup_order = 5

),

overall as (

    select * from subgroups
    where subgroup_order = 0

),

roles as (

    select 'intervention' as role
    union all
    select 'comparison' as role

),

-- One row per (project, role) with every quantity side by side.
by_role as (

    select
        projects.project_id,
        roles.role,
        max(case when overall.quantity = 'level_before' then overall.estimate end) as level_before,
        max(case when overall.quantity = 'level_before' then overall.se end) as level_before_se,
        max(case when overall.quantity = 'level_after' then overall.estimate end) as level_after,
        max(case when overall.quantity = 'level_after' then overall.se end) as level_after_se,
        max(case when overall.quantity = 'change' then overall.estimate end) as level_change,
        max(case when overall.quantity = 'change' then overall.se end) as level_change_se,
        max(case when overall.quantity = 'change' then overall.n end) as n_paired_patients,
        max(case when overall.quantity = 'level_after' then overall.n end) as n_patients_after
    from projects
    cross join roles
    left join overall
        on projects.project_id = overall.project_id and roles.role = overall.role
    group by projects.project_id, roles.role

),

gaps_by_role as (

    select
        project_id,
        role,
        max(case when quantity = 'level_before' then estimate end) as gap_before,
        max(case when quantity = 'level_before' then se end) as gap_before_se,
        max(case when quantity = 'level_after' then estimate end) as gap_after,
        max(case when quantity = 'level_after' then se end) as gap_after_se,
        max(case when quantity = 'change' then estimate end) as gap_change,
        max(case when quantity = 'change' then se end) as gap_change_se
    from gaps
    group by project_id, role

),

least_deprived_changes as (

    select
        project_id,
        role,
        estimate as least_deprived_change,
        se as least_deprived_change_se
    from quintiles
    where quantity = 'change' and subgroup_order = 5

),

slopes_by_role as (

    select
        project_id,
        role,
        max(case when quantity = 'level_before' then estimate end) as sii_before,
        max(case when quantity = 'level_before' then se end) as sii_before_se,
        max(case when quantity = 'level_after' then estimate end) as sii_after,
        max(case when quantity = 'level_after' then se end) as sii_after_se,
        max(case when quantity = 'change' then estimate end) as sii_change,
        max(case when quantity = 'change' then se end) as sii_change_se
    from slope_indices
    group by project_id, role

),

roles_combined as (

    select
        by_role.*,
        gaps_by_role.gap_before,
        gaps_by_role.gap_before_se,
        gaps_by_role.gap_after,
        gaps_by_role.gap_after_se,
        gaps_by_role.gap_change,
        gaps_by_role.gap_change_se,
        slopes_by_role.sii_before,
        slopes_by_role.sii_before_se,
        slopes_by_role.sii_after,
        slopes_by_role.sii_after_se,
        slopes_by_role.sii_change,
        slopes_by_role.sii_change_se,
        least_deprived_changes.least_deprived_change,
        least_deprived_changes.least_deprived_change_se
    from by_role
    left join gaps_by_role
        on by_role.project_id = gaps_by_role.project_id and by_role.role = gaps_by_role.role
    left join slopes_by_role
        on by_role.project_id = slopes_by_role.project_id and by_role.role = slopes_by_role.role
    left join least_deprived_changes
        on by_role.project_id = least_deprived_changes.project_id and by_role.role = least_deprived_changes.role

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
    left join roles_combined as intervention
        on projects.project_id = intervention.project_id and intervention.role = 'intervention'
    left join roles_combined as comparison
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
