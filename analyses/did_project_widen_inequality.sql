-- Did QI project X widen inequality? A worked example reading only the public marts. Compile and run it with
--   dbt compile --select did_project_widen_inequality --vars '{project_id: QI-DM-01}'
-- then run target/compiled/equity_qi/analyses/did_project_widen_inequality.sql in DuckDB (or any BI tool).
-- 1. the verdict and the numbers behind it (fct_qi_equity_impact);
-- 2. which practices were compared (fct_qi_project_practices);
-- 3. the gap between the most and least deprived quintiles month by month in the project's practices, with the
--    SPC signal (fct_spc): did special-cause variation start after the project began?
{%- set project_id = var('project_id', 'QI-DM-01') %}
with

impact as (

    select
        project_id,
        project_name,
        indicator_id,
        verdict,
        verdict_note,
        level_before,
        level_after,
        level_effect,
        level_effect_ci_lower,
        level_effect_ci_upper,
        gap_before,
        gap_after,
        gap_effect,
        gap_effect_ci_lower,
        gap_effect_ci_upper,
        sii_effect,
        sii_effect_ci_lower,
        sii_effect_ci_upper,
        sii_effect_mde,
        start_date
    from {{ ref('fct_qi_equity_impact') }}
    where project_id = '{{ project_id }}'

),

project_practices as (

    select
        practice_code,
        role,
        selection
    from {{ ref('fct_qi_project_practices') }}
    where project_id = '{{ project_id }}'

),

gap_signals as (

    select
        project_practices.role,
        spc.period_end,
        count(*) as n_practices,
        avg(spc.value) as mean_gap,
        sum(case when spc.variation_type = 'special_cause_concern' then 1 else 0 end) as n_concern_signals,
        sum(case when spc.variation_type = 'special_cause_improvement' then 1 else 0 end) as n_improvement_signals
    from {{ ref('fct_spc') }} as spc
    inner join impact
        on spc.indicator_id = impact.indicator_id
    inner join project_practices
        on spc.geography_code = project_practices.practice_code
    where spc.geography_level = 'practice' and spc.measure = 'gap'
    group by project_practices.role, spc.period_end

)

select
    impact.project_id,
    impact.project_name,
    impact.verdict,
    impact.verdict_note,
    impact.level_effect,
    impact.level_effect_ci_lower,
    impact.level_effect_ci_upper,
    impact.gap_effect,
    impact.gap_effect_ci_lower,
    impact.gap_effect_ci_upper,
    impact.sii_effect,
    impact.sii_effect_ci_lower,
    impact.sii_effect_ci_upper,
    impact.sii_effect_mde,
    gap_signals.role,
    gap_signals.period_end,
    gap_signals.n_practices,
    gap_signals.mean_gap,
    gap_signals.n_concern_signals,
    gap_signals.n_improvement_signals,
    gap_signals.period_end >= impact.start_date as is_during_project
from impact
cross join gap_signals
order by gap_signals.role, gap_signals.period_end
