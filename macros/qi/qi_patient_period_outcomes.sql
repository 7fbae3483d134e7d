{#- A select of every QI project's patient outcomes at the period ends of its windows (int_qi__project_windows), at
    every practice: evaluation_id, practice_code, window_name (baseline, follow_up), person_id, imd_quintile,
    standard_cell (sex and ten-year age band, e.g. 'female:20') and outcome (1 / 0 for proportions, the value for means),
    for patients in the indicator's denominator there (with a value, for means). int_qi__project_subgroups keeps its projects' practices; int_qi__practice_outcome_sums all. -#}
{% macro qi_patient_period_outcomes() %}
    {{ return(adapter.dispatch('qi_patient_period_outcomes', 'equity_qi')()) }}
{% endmacro %}


{% macro default__qi_patient_period_outcomes() %}
    select
        windows.evaluation_id,
        practices.ods_code as practice_code,
        windows.window_name,
        outcomes.person_id,
        strata.imd_quintile,
        -- the like-for-like cell: sex and ten-year age band (comparison practices are standardised to it)
        {{ dbt.concat(["strata.sex", "':'", "cast(cast(floor(strata.age_lower / 10) * 10 as "
            ~ dbt.type_int() ~ ") as " ~ dbt.type_string() ~ ")"]) }} as standard_cell,
        cast(
            case
                when indicators.value_type = 'mean' then outcomes.value
                when outcomes.in_numerator then 1
                else 0
            end as {{ type_double() }}
        ) as outcome
    from {{ ref('int_qi__project_windows') }} as windows
    inner join {{ ref('ref_indicators') }} as indicators
        on windows.indicator_id = indicators.indicator_id
    inner join {{ ref('int_indicators__patient_outcomes') }} as outcomes
        on
            windows.indicator_id = outcomes.indicator_id
            and windows.period_end = outcomes.period_end
    inner join {{ ref('stg_discovery__organization') }} as practices
        on outcomes.organization_id = practices.id
    inner join {{ ref('int_indicators__strata') }} as strata
        on outcomes.stratum_id = strata.stratum_id
    where
        outcomes.in_denominator
        and (indicators.value_type = 'proportion' or outcomes.value is not null)
{% endmacro %}
