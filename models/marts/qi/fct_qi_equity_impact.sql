-- Did each QI project improve its indicator, and was the improvement shared fairly? One row per project, from two
-- designs. The primary, a difference in differences (int_qi__did_effects): level, absolute gap and SII before and
-- after in the project's practices, their within-patient changes, the same for the comparison practices, and the
-- differences in differences with 95% intervals (normal, effect +/- 1.96 SE, the SE at practice level by placebo
-- inference where possible: inference_method) and minimum detectable effects (80% power). The second, a controlled
-- interrupted time series (int_qi__interrupted_time_series): the monthly intervention-minus-comparison series of
-- the same measures, segmented at the start; its_* columns, judged by the larger of the placebo SD and the
-- Newey-West SE (its_inference_method). A staggered project's start cohorts are each evaluated from their own
-- start and aggregated (int_qi__project_effects). Gaps are oriented as WHO HEAT (positive = the most deprived
-- quintile worse off); SII follows PHE (least minus most deprived), widening is read through the polarity.
-- Each component reads, per design (macro qi_judgement): clear (improved / worsened, widened / narrowed) when its
-- 95% interval excludes 0, 'unchanged' only when the whole interval lies inside +/- the indicator's equivalence
-- margin, otherwise 'not clear'. The level is judged on the level effect, the gap on the SII effect. The time
-- series can withdraw a clear reading of the difference in differences but never make one: a component whose
-- designs disagree (the time series points the other way, or reads 'unchanged' against a clear effect, or clear
-- against 'unchanged') is 'not clear' (design_agreement); without a time series the difference in differences
-- decides alone. The verdict (macro qi_verdict, which lists its 15 strings) keeps the plain words for clear
-- results and says 'not clear' otherwise; verdict_note says why and what the project could detect.
{%- set z = z_value(0.95) %}
{%- set min_patients = var('inequality_min_subgroup_denominator') %}
{%- set measures = ['level', 'gap', 'sii'] %}
with

effects as (

    select * from {{ ref('int_qi__project_effects') }}

),

judged as (

    select
        effects.*,
        {%- for design, prefix in [('did', ''), ('its', 'its_')] %}
        {{ qi_judgement(
            'effects.' ~ prefix ~ 'level_effect', 'effects.' ~ prefix ~ 'level_effect_se', 'effects.better_sign',
            'effects.equivalence_margin', 'improved', 'worsened'
        ) }} as {{ design }}_level_judgement,
        -- the less deprived end gaining relative to the most deprived widens the gap
        {{ qi_judgement(
            'effects.' ~ prefix ~ 'sii_effect', 'effects.' ~ prefix ~ 'sii_effect_se', 'effects.better_sign',
            'effects.equivalence_margin', 'widened', 'narrowed'
        ) }} as {{ design }}_gap_judgement,
        {%- endfor %}
        {{ qi_judgement(
            'effects.least_deprived_effect', 'effects.least_deprived_effect_se', 'effects.better_sign',
            'effects.equivalence_margin', 'better', 'worse'
        ) }} as least_deprived_judgement
    from effects

),

-- The second design can withdraw a clear reading, never make one (so the verdict is never less calibrated than the
-- difference in differences alone): a clear component stays clear when the time series points the same way and
-- does not read 'unchanged'; an 'unchanged' one stays unless the time series is clear either way. Otherwise the
-- designs disagree and the component is 'not clear'. Without a time series the difference in differences decides.
combined as (

    select
        judged.*,
        {{ qi_design_agreement(
            'judged.did_level_judgement', 'judged.its_level_judgement', 'judged.level_effect',
            'judged.its_level_effect', ['improved', 'worsened']
        ) }} as level_design_agreement,
        {{ qi_design_agreement(
            'judged.did_gap_judgement', 'judged.its_gap_judgement', 'judged.sii_effect', 'judged.its_sii_effect',
            ['widened', 'narrowed']
        ) }} as gap_design_agreement
    from judged

),

judged_together as (

    select
        combined.*,
        {%- for component in ['level', 'gap'] %}
        case
            when combined.{{ component }}_design_agreement = 'disagree' then 'not clear'
            else combined.did_{{ component }}_judgement
        end as {{ component }}_judgement,
        {%- endfor %}
        case
            when combined.did_level_judgement is null or combined.did_gap_judgement is null then null
            when combined.level_design_agreement = 'disagree' or combined.gap_design_agreement = 'disagree'
                then 'disagree'
            when combined.level_design_agreement is null and combined.gap_design_agreement is null
                then 'difference in differences only'
            when combined.level_design_agreement is null or combined.gap_design_agreement is null
                then 'agree where the time series is estimable'
            else 'agree'
        end as design_agreement
    from combined

),

verdicts as (

    select
        judged_together.*,
        {{ qi_verdict(
            'judged_together.level_judgement', 'judged_together.gap_judgement',
            'judged_together.least_deprived_judgement'
        ) }} as verdict
    from judged_together

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
                then 'not estimable: a role has no patients in a window'
            when verdicts.verdict = 'not estimable'
                then 'not estimable: a quintile of a role has under {{ min_patients }} patients in a window: no SII'
            when verdicts.level_judgement = 'not clear' or verdicts.gap_judgement = 'not clear'
                then {{ dbt.concat([
                    qi_not_clear_note(
                        'level', 'did_level_judgement', 'level_effect', 'level_effect_se', 'equivalence_margin',
                        'n_intervention_practices'
                    ),
                    qi_not_clear_note(
                        'gap', 'did_gap_judgement', 'sii_effect', 'sii_effect_se', 'equivalence_margin',
                        'n_intervention_practices'
                    ),
                    "case when verdicts.design_agreement = 'disagree' then "
                    ~ dbt.concat([
                        "'The designs disagree: the difference in differences reads level '",
                        'verdicts.did_level_judgement', "', gap '", 'verdicts.did_gap_judgement',
                        "'; the interrupted time series level '", 'verdicts.its_level_judgement', "', gap '",
                        'verdicts.its_gap_judgement', "'. '",
                    ]) ~ " else '' end",
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
    cast(n_start_cohorts as {{ dbt.type_int() }}) as n_start_cohorts,
    baseline_window_start,
    baseline_window_end,
    follow_up_window_start,
    follow_up_window_end,
    cast(n_intervention_practices as {{ dbt.type_int() }}) as n_intervention_practices,
    cast(n_comparison_practices as {{ dbt.type_int() }}) as n_comparison_practices,
    comparison_method,
    cast(n_patients_after as {{ dbt.type_bigint() }}) as n_patients_after,
    cast(n_paired_patients as {{ dbt.type_bigint() }}) as n_paired_patients,
    cast(change_design as {{ dbt.type_string() }}) as change_design,
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
    {%- for measure in measures %}
    cast(its_{{ measure }}_effect as {{ type_double() }}) as its_{{ measure }}_effect,
    cast(its_{{ measure }}_effect - {{ z }} * its_{{ measure }}_effect_se as {{ type_double() }})
        as its_{{ measure }}_effect_ci_lower,
    cast(its_{{ measure }}_effect + {{ z }} * its_{{ measure }}_effect_se as {{ type_double() }})
        as its_{{ measure }}_effect_ci_upper,
    {%- endfor %}
    cast(its_inference_method as {{ dbt.type_string() }}) as its_inference_method,
    cast(its_n_pre_months as {{ dbt.type_int() }}) as its_n_pre_months,
    cast(its_n_post_months as {{ dbt.type_int() }}) as its_n_post_months,
    cast(comparison_level_before as {{ type_double() }}) as comparison_level_before,
    cast(comparison_level_after as {{ type_double() }}) as comparison_level_after,
    cast(comparison_level_change as {{ type_double() }}) as comparison_level_change,
    cast(comparison_gap_change as {{ type_double() }}) as comparison_gap_change,
    cast(comparison_sii_change as {{ type_double() }}) as comparison_sii_change,
    cast(did_level_judgement as {{ dbt.type_string() }}) as did_level_judgement,
    cast(did_gap_judgement as {{ dbt.type_string() }}) as did_gap_judgement,
    cast(its_level_judgement as {{ dbt.type_string() }}) as its_level_judgement,
    cast(its_gap_judgement as {{ dbt.type_string() }}) as its_gap_judgement,
    cast(design_agreement as {{ dbt.type_string() }}) as design_agreement,
    cast(level_judgement as {{ dbt.type_string() }}) as level_judgement,
    cast(gap_judgement as {{ dbt.type_string() }}) as gap_judgement,
    cast(verdict as {{ dbt.type_string() }}) as verdict,
    cast(verdict_note as {{ dbt.type_string() }}) as verdict_note
from notes
