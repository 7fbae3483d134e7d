-- QI equity impact for BI and the QI report (published.qi_equity_impact): fct_qi_equity_impact, one row per QI
-- project with its verdict, the level, gap and SII before and after with intervals, the two designs' effects and the
-- minimum detectable effects (MDE). The estimates rest on whole practices' patients; a project with 1 to 7 patients
-- after, or 1 to 7 paired patients, has every estimate withheld ('small count'). Person counts are rounded to the
-- nearest 5. Counts that are not person counts are renamed so that no n_* column holds anything but patients
-- (start_cohorts, its_pre_months, its_post_months); counts of practices are *_practices.
{#- the mart's columns in order; estimates are withheld for a small project, person counts rounded, the non-person
    n_* counts renamed -#}
{% set columns = [
    'project_id', 'project_name', 'indicator_id', 'polarity', 'start_date', 'end_date', 'n_start_cohorts',
    'baseline_window_start', 'baseline_window_end', 'follow_up_window_start', 'follow_up_window_end',
    'n_intervention_practices', 'n_comparison_practices', 'comparison_method', 'n_patients_after',
    'n_paired_patients', 'change_design', 'level_before', 'level_before_ci_lower', 'level_before_ci_upper',
    'level_after', 'level_after_ci_lower', 'level_after_ci_upper', 'level_change', 'level_change_ci_lower',
    'level_change_ci_upper', 'gap_before', 'gap_before_ci_lower', 'gap_before_ci_upper', 'gap_after',
    'gap_after_ci_lower', 'gap_after_ci_upper', 'gap_change', 'gap_change_ci_lower', 'gap_change_ci_upper',
    'sii_before', 'sii_before_ci_lower', 'sii_before_ci_upper', 'sii_after', 'sii_after_ci_lower',
    'sii_after_ci_upper', 'sii_change', 'sii_change_ci_lower', 'sii_change_ci_upper', 'level_effect',
    'level_effect_ci_lower', 'level_effect_ci_upper', 'gap_effect', 'gap_effect_ci_lower',
    'gap_effect_ci_upper', 'sii_effect', 'sii_effect_ci_lower', 'sii_effect_ci_upper', 'level_effect_mde',
    'gap_effect_mde', 'sii_effect_mde', 'equivalence_margin', 'inference_method', 'n_placebo_practices',
    'its_level_effect', 'its_level_effect_ci_lower', 'its_level_effect_ci_upper', 'its_gap_effect',
    'its_gap_effect_ci_lower', 'its_gap_effect_ci_upper', 'its_sii_effect', 'its_sii_effect_ci_lower',
    'its_sii_effect_ci_upper', 'its_inference_method', 'its_n_pre_months', 'its_n_post_months',
    'comparison_level_before', 'comparison_level_after', 'comparison_level_change', 'comparison_gap_change',
    'comparison_sii_change', 'did_level_judgement', 'did_gap_judgement', 'its_level_judgement',
    'its_gap_judgement', 'design_agreement', 'level_judgement', 'gap_judgement', 'verdict', 'verdict_note'
] %}
{% set estimates = [
    'level_before', 'level_before_ci_lower', 'level_before_ci_upper', 'level_after', 'level_after_ci_lower',
    'level_after_ci_upper', 'level_change', 'level_change_ci_lower', 'level_change_ci_upper', 'gap_before',
    'gap_before_ci_lower', 'gap_before_ci_upper', 'gap_after', 'gap_after_ci_lower', 'gap_after_ci_upper',
    'gap_change', 'gap_change_ci_lower', 'gap_change_ci_upper', 'sii_before', 'sii_before_ci_lower',
    'sii_before_ci_upper', 'sii_after', 'sii_after_ci_lower', 'sii_after_ci_upper', 'sii_change',
    'sii_change_ci_lower', 'sii_change_ci_upper', 'level_effect', 'level_effect_ci_lower',
    'level_effect_ci_upper', 'gap_effect', 'gap_effect_ci_lower', 'gap_effect_ci_upper', 'sii_effect',
    'sii_effect_ci_lower', 'sii_effect_ci_upper', 'level_effect_mde', 'gap_effect_mde', 'sii_effect_mde',
    'its_level_effect', 'its_level_effect_ci_lower', 'its_level_effect_ci_upper', 'its_gap_effect',
    'its_gap_effect_ci_lower', 'its_gap_effect_ci_upper', 'its_sii_effect', 'its_sii_effect_ci_lower',
    'its_sii_effect_ci_upper', 'comparison_level_before', 'comparison_level_after', 'comparison_level_change',
    'comparison_gap_change', 'comparison_sii_change'
] %}
{% set person_counts = ['n_patients_after', 'n_paired_patients'] %}
{% set renamed = {'n_start_cohorts': 'start_cohorts', 'its_n_pre_months': 'its_pre_months',
    'its_n_post_months': 'its_post_months'} %}
with

impact as (

    select
        *,
        coalesce(
            {{ sdc_is_redacted('n_patients_after') }} or {{ sdc_is_redacted('n_paired_patients') }}, false
        ) as is_small
    from {{ ref('fct_qi_equity_impact') }}

),

published as (

    select
        {%- for column in columns %}
        {%- if column in estimates %}
        cast(case when not impact.is_small then impact.{{ column }} end as {{ type_double() }}) as {{ column }},
        {%- elif column in person_counts %}
        {{ sdc_rounded_count('impact.' ~ column) }} as {{ column }},
        {%- elif column in renamed %}
        impact.{{ column }} as {{ renamed[column] }},
        {%- else %}
        impact.{{ column }},
        {%- endif %}
        {%- endfor %}
        cast(case when impact.is_small then 'small count' end as {{ dbt.type_string() }}) as suppression_reason
    from impact

)

select * from published
