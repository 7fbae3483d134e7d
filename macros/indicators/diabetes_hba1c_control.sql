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

{#- Numerator, as status intervals (person_id, valid_from, valid_to, value): the dates on which the latest HbA1c of
    the 12 months before (int_indicators__latest_hba1c) is at or below `hba1c_max` mmol/mol (no upper bound when
    none: every patient with a result, for the mean indicator). value = that HbA1c. -#}
{% macro diabetes_hba1c_numerator(hba1c_max=none) %}
    select
        person_id,
        valid_from,
        valid_to,
        cast(hba1c_mmol_mol as {{ type_double() }}) as value
    from {{ ref('int_indicators__latest_hba1c') }}
    {%- if hba1c_max is not none %}
        where hba1c_mmol_mol <= {{ hba1c_max }}
    {%- endif %}
{% endmacro %}

{#- Exclusions as status intervals (personalised care adjustments, QOF rule order): maximal tolerated treatment, care
    unsuitable, care declined, blood test declined (each in the 12 months before the date), serum fructosamine instead
    of HbA1c (a fructosamine code and no HbA1c in the 12 months), invited twice, diagnosed or registered in the last
    9 months. -#}
{% macro diabetes_hba1c_control_exclusions() %}
    {{ exclusion_events(['dmmax_cod'], 'max_tolerated_therapy', 1, window_months=12) }}
    union all
    {{ exclusion_events(['dmpcapu_cod'], 'care_unsuitable', 2, window_months=12) }}
    union all
    {{ exclusion_events(['dmpcadec_cod'], 'care_declined', 3, window_months=12) }}
    union all
    {{ exclusion_events(['bldtestdec_cod'], 'blood_test_declined', 4, window_months=12) }}
    union all
    {{ fructosamine_only_exclusions(5) }}
    union all
    {{ invited_twice_exclusions('dminvite_cod', 6) }}
    union all
    {{ recent_start_exclusions(7, 'int_indicators__diabetes_register', diagnosis_months=9, registration_months=9) }}
{% endmacro %}

{#- Exclusion intervals (reason fructosamine_only, priority `priority`): the dates with a serum fructosamine code
    (SERFRUC_COD) in the 12 months before them and no HbA1c result in those 12 months (not covered by
    int_indicators__latest_hba1c). The fructosamine windows are cut wherever a result's interval starts or ends, and
    the pieces no result covers are kept. -#}
{% macro fructosamine_only_exclusions(priority) %}
    select
        pieces.person_id,
        pieces.valid_from,
        pieces.valid_to,
        'fructosamine_only' as exclusion_reason,
        {{ priority }} as exclusion_priority,
        false as excludes_achievers
    from (
        select
            boundaries.person_id,
            boundaries.boundary_date as valid_from,
            lead(boundaries.boundary_date) over (
                partition by boundaries.person_id order by boundaries.boundary_date
            ) as valid_to
        from (
            select
                person_id,
                valid_from as boundary_date
            from ({{ exclusion_events(['serfruc_cod'], 'fructosamine_only', priority, window_months=12) }})
                as fructosamine_windows
            union
            select
                person_id,
                valid_to as boundary_date
            from ({{ exclusion_events(['serfruc_cod'], 'fructosamine_only', priority, window_months=12) }})
                as fructosamine_windows
            union
            select
                results.person_id,
                results.valid_from as boundary_date
            from {{ ref('int_indicators__latest_hba1c') }} as results
            union
            select
                results.person_id,
                results.valid_to as boundary_date
            from {{ ref('int_indicators__latest_hba1c') }} as results
        ) as boundaries
    ) as pieces
    inner join ({{ exclusion_events(['serfruc_cod'], 'fructosamine_only', priority, window_months=12) }})
        as fructosamine_windows
        on
            pieces.person_id = fructosamine_windows.person_id
            and {{ interval_covers('fructosamine_windows', 'pieces.valid_from') }}
    left join {{ ref('int_indicators__latest_hba1c') }} as results
        on
            pieces.person_id = results.person_id
            and {{ interval_covers('results', 'pieces.valid_from') }}
    where results.person_id is null
{% endmacro %}
