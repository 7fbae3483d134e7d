{#- A select of the observations a QI evaluation summarises, per project and `unit` (a column of `relation`: the
    role, or the practice), from `relation` (columns evaluation_id, <unit>, window_name baseline / follow_up,
    person_id, imd_quintile, outcome; macro qi_patient_period_outcomes): each patient's average outcome over a
    window's period ends (quantity level_before / level_after, quintile = the highest they held in the window, cell =
    the first of the window), and for patients in both windows of one unit the within-patient change after - before
    (quantity change, quintile and cell of the baseline window). Columns: evaluation_id, <unit>, quantity, imd_quintile,
    standard_cell, outcome. -#}
{% macro qi_outcome_observations(relation, unit) %}
    {{ return(adapter.dispatch('qi_outcome_observations', 'equity_qi')(relation, unit)) }}
{% endmacro %}


{% macro default__qi_outcome_observations(relation, unit) %}
    with

    patient_outcomes as (

        select
            evaluation_id,
            {{ unit }},
            case window_name when 'baseline' then 'before' else 'after' end as window_name,
            person_id,
            max(imd_quintile) as imd_quintile,
            min(standard_cell) as standard_cell,
            avg(outcome) as outcome
        from {{ relation }}
        group by evaluation_id, {{ unit }}, window_name, person_id

    )

    select
        evaluation_id,
        {{ unit }},
        case window_name when 'before' then 'level_before' else 'level_after' end as quantity,
        imd_quintile,
        standard_cell,
        outcome
    from patient_outcomes
    union all
    select
        before_rows.evaluation_id,
        before_rows.{{ unit }},
        'change' as quantity,
        before_rows.imd_quintile,
        before_rows.standard_cell,
        after_rows.outcome - before_rows.outcome as outcome
    from patient_outcomes as before_rows
    inner join patient_outcomes as after_rows
        on
            before_rows.evaluation_id = after_rows.evaluation_id
            and before_rows.{{ unit }} = after_rows.{{ unit }}
            and before_rows.person_id = after_rows.person_id
    where before_rows.window_name = 'before' and after_rows.window_name = 'after'
{% endmacro %}
