-- Each QI project's effects from both designs, one row per project, as fct_qi_equity_impact judges them: the
-- difference in differences (int_qi__did_effects) and the interrupted time series (int_qi__interrupted_time_series,
-- judged by the larger of its placebo SD and its Newey-West SE) of its evaluations. A project with one start date is
-- one evaluation and passes through unchanged. A staggered project's start cohorts (int_qi__evaluations) are
-- aggregated as Callaway and Sant'Anna (2021) aggregate group-time effects: the mean of the cohorts' estimates
-- weighted by their intervention patients in the follow-up window. The cohorts share their comparison practices, so
-- their estimates are correlated; the SE is the same weighted mean of the cohorts' SEs, the largest the weighted
-- mean's SE can be whatever the correlation (conservative). An estimate is NULL when any cohort lacks it.
{%- set min_placebo_draws = 200 %}
{%- set measures = ['level', 'gap', 'sii'] %}
{%- set estimates = [
    'level_before', 'level_after', 'level_change', 'gap_before', 'gap_after', 'gap_change',
    'sii_before', 'sii_after', 'sii_change', 'least_deprived_effect', 'comparison_level_change',
] %}
{%- set effects = ['level_effect', 'gap_effect', 'sii_effect'] %}
{%- set plain_values = [
    'comparison_level_before', 'comparison_level_after', 'comparison_gap_change', 'comparison_sii_change',
] %}
with

did_effects as (

    select
        *,
        cast(n_patients_after as {{ type_double() }}) as cohort_weight
    from {{ ref('int_qi__did_effects') }}

),

its_rows as (

    select
        evaluation_id,
        measure,
        its_effect,
        case
            when n_placebo_draws >= {{ min_placebo_draws }} then greatest(placebo_sd, hac_se)
            else hac_se
        end as its_effect_se,
        case when n_placebo_draws >= {{ min_placebo_draws }} then 1 else 0 end as has_placebo,
        n_pre_months,
        n_post_months
    from {{ ref('int_qi__interrupted_time_series') }}
    where its_effect is not null

),

-- per evaluation: the time-series effects and the SE each is judged by (the Newey-West SE alone when too few
-- placebo sets could be drawn; it under-covers, see src/equity_qi/qi/its.py)
its as (

    select
        evaluation_id,
        {%- for measure in measures %}
        max(case when measure = '{{ measure }}' then its_effect end) as its_{{ measure }}_effect,
        max(case when measure = '{{ measure }}' then its_effect_se end) as its_{{ measure }}_effect_se,
        {%- endfor %}
        min(has_placebo) as all_placebo,
        max(has_placebo) as any_placebo,
        min(n_pre_months) as its_n_pre_months,
        min(n_post_months) as its_n_post_months
    from its_rows
    group by evaluation_id

),

comparison_practices as (

    select
        evaluations.project_id,
        count(distinct project_practices.practice_code) as n_comparison_practices
    from {{ ref('int_qi__project_practices') }} as project_practices
    inner join {{ ref('int_qi__evaluations') }} as evaluations
        on project_practices.evaluation_id = evaluations.evaluation_id
    where project_practices.role = 'comparison'
    group by evaluations.project_id

),

cohorts as (

    select
        did_effects.*,
        {%- for measure in measures %}
        its.its_{{ measure }}_effect,
        its.its_{{ measure }}_effect_se,
        {%- endfor %}
        its.all_placebo,
        its.any_placebo,
        its.its_n_pre_months,
        its.its_n_post_months
    from did_effects
    left join its
        on did_effects.evaluation_id = its.evaluation_id

),

projects as (

    select
        project_id,
        max(project_name) as project_name,
        max(indicator_id) as indicator_id,
        max(polarity) as polarity,
        max(equivalence_margin) as equivalence_margin,
        max(better_sign) as better_sign,
        max(project_start_date) as start_date,
        max(end_date) as end_date,
        cast(count(*) as {{ dbt.type_int() }}) as n_start_cohorts,
        min(baseline_window_start) as baseline_window_start,
        max(baseline_window_end) as baseline_window_end,
        min(follow_up_window_start) as follow_up_window_start,
        max(follow_up_window_end) as follow_up_window_end,
        case
            when count(distinct change_design) = 1 then max(change_design)
            when count(distinct change_design) > 1 then 'cross-sectional'
        end as change_design,
        sum(n_patients_after) as n_patients_after,
        sum(n_paired_patients) as n_paired_patients,
        sum(n_intervention_practices) as n_intervention_practices,
        max(comparison_method) as comparison_method,
        min(n_placebo_practices) as n_placebo_practices,
        -- the weakest cohort's inference
        case
            when max(case when inference_method = 'patient' then 1 else 0 end) = 1 then 'patient'
            when max(case when inference_method != 'placebo' then 1 else 0 end) = 1 then max(inference_method)
            else 'placebo'
        end as inference_method,
        case
            when count(all_placebo) < count(*) then null
            when min(all_placebo) = 1 then 'placebo'
            when max(any_placebo) = 1 then 'placebo, Newey-West where too few placebo sets'
            else 'Newey-West'
        end as its_inference_method,
        {%- for name in estimates + effects %}
        {{ qi_cohort_mean(name) }} as {{ name }},
        {{ qi_cohort_mean(name ~ '_se') }} as {{ name }}_se,
        {%- endfor %}
        {%- for name in effects %}
        {{ qi_cohort_mean(name ~ '_patient_se') }} as {{ name }}_patient_se,
        {%- endfor %}
        {%- for name in plain_values %}
        {{ qi_cohort_mean(name) }} as {{ name }},
        {%- endfor %}
        {%- for measure in measures %}
        {{ qi_cohort_mean('its_' ~ measure ~ '_effect') }} as its_{{ measure }}_effect,
        {{ qi_cohort_mean('its_' ~ measure ~ '_effect_se') }} as its_{{ measure }}_effect_se,
        {%- endfor %}
        min(its_n_pre_months) as its_n_pre_months,
        min(its_n_post_months) as its_n_post_months
    from cohorts
    group by project_id

)

select
    projects.*,
    coalesce(comparison_practices.n_comparison_practices, 0) as n_comparison_practices
from projects
left join comparison_practices
    on projects.project_id = comparison_practices.project_id
