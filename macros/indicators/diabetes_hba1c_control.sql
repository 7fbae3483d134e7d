{#- The three parts of QOF's diabetes HbA1c indicators (DM020: no moderate or severe frailty, target 58 mmol/mol;
    DM021: moderate or severe frailty, target 75 mmol/mol). Each renders a select for one component model. -#}

{#- Denominator: on the diabetes register at the period end, aged 17 or over, whose latest frailty code (ever; mild,
    moderate or severe) is moderate or severe when `with_frailty`, or who have none or a mild one otherwise. -#}
{% macro diabetes_hba1c_control_denominator(with_frailty) %}
with

    frailty_days as (

        select
            person_id,
            clinical_effective_date,
            max(case when codelist_id in ('modfrail_cod', 'sevfrail_cod') then 1 else 0 end) as is_moderate_or_severe
        from {{ ref('int_clinical__coded_events') }}
        where codelist_id in ('mildfrail_cod', 'modfrail_cod', 'sevfrail_cod')
        group by person_id, clinical_effective_date

    ),

    latest_frailty as (

        {{ validity_intervals('frailty_days', 'person_id', 'clinical_effective_date', 'clinical_effective_date') }}

    ),

    diabetic_population as (

        {{ register_population('int_indicators__diabetes_register', min_age=17) }}

    )

    select
        {{ registered_population_columns('diabetic_population') }},
        diabetic_population.first_diagnosis_date
    from diabetic_population
    left join latest_frailty
        on
            diabetic_population.person_id = latest_frailty.person_id
            and {{ interval_covers('latest_frailty', 'diabetic_population.period_end') }}
    where coalesce(latest_frailty.is_moderate_or_severe, 0) = {{ 1 if with_frailty else 0 }}
{% endmacro %}

{#- Numerator: the latest HbA1c of the 12 months before the period end (int_indicators__latest_hba1c) is at or below
    `hba1c_max` mmol/mol (no upper bound when none: every patient with a result, for the mean indicator).
    value = that HbA1c. -#}
{% macro diabetes_hba1c_numerator(denominator, hba1c_max=none) %}
    select
        denominator_rows.person_id,
        denominator_rows.period_end,
        cast(latest_results.hba1c_mmol_mol as {{ type_double() }}) as value
    from {{ ref(denominator) }} as denominator_rows
    inner join {{ ref('int_indicators__latest_hba1c') }} as latest_results
        on
            denominator_rows.person_id = latest_results.person_id
            and {{ interval_covers('latest_results', 'denominator_rows.period_end') }}
    {%- if hba1c_max is not none %}
        where latest_results.hba1c_mmol_mol <= {{ hba1c_max }}
    {%- endif %}
{% endmacro %}

{#- Exclusions (personalised care adjustments, QOF rule order): maximal tolerated treatment, care unsuitable, care
    declined, blood test declined (each in the 12 months before the period end), serum fructosamine instead of HbA1c
    (a fructosamine code and no HbA1c in the 12 months), invited twice, diagnosed or registered in the last 9
    months. -#}
{% macro diabetes_hba1c_control_exclusions(denominator) %}
    {{ exclusion_events(ref(denominator), ['dmmax_cod'], 'max_tolerated_therapy', 1, window_months=12) }}
    union all
    {{ exclusion_events(ref(denominator), ['dmpcapu_cod'], 'care_unsuitable', 2, window_months=12) }}
    union all
    {{ exclusion_events(ref(denominator), ['dmpcadec_cod'], 'care_declined', 3, window_months=12) }}
    union all
    {{ exclusion_events(ref(denominator), ['bldtestdec_cod'], 'blood_test_declined', 4, window_months=12) }}
    union all
    select fructosamine.*
    from (
        {{ exclusion_events(ref(denominator), ['serfruc_cod'], 'fructosamine_only', 5, window_months=12) }}
    ) as fructosamine
    left join {{ ref('int_indicators__latest_hba1c') }} as latest_results
        on
            fructosamine.person_id = latest_results.person_id
            and {{ interval_covers('latest_results', 'fructosamine.period_end') }}
    where latest_results.person_id is null
    union all
    {{ invited_twice_exclusions(ref(denominator), 'dminvite_cod', 6) }}
    union all
    {{ recent_start_exclusions(ref(denominator), 7, diagnosis_months=9, registration_months=9) }}
{% endmacro %}
