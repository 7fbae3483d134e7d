{#- The three parts of QOF's hypertension BP-control indicators (HYP008, aged 79 or under, target 140/90; HYP009, aged
    80 or over, target 150/90). Each renders a select for one component model. -#}

{#- Denominator: on the hypertension register at the period end, aged `min_age` to `max_age`. -#}
{% macro hypertension_bp_control_denominator(min_age=none, max_age=none) %}
    {{ register_population('int_indicators__hypertension_register', min_age, max_age) }}
{% endmacro %}

{#- Numerator, as status intervals (person_id, valid_from, valid_to, value NULL): the dates on which the latest BP of
    the 12 months before (int_indicators__latest_blood_pressure) is at or below `systolic_max` / `diastolic_max`
    mmHg. -#}
{% macro hypertension_bp_control_numerator(systolic_max, diastolic_max) %}
    select
        person_id,
        valid_from,
        valid_to,
        cast(null as {{ type_double() }}) as value
    from {{ ref('int_indicators__latest_blood_pressure') }}
    where
        systolic_mmhg <= {{ systolic_max }}
        and diastolic_mmhg <= {{ diastolic_max }}
{% endmacro %}

{#- Exclusions as status intervals (personalised care adjustments, QOF rule order): maximal tolerated therapy, care
    unsuitable, care or BP declined (each in the 12 months before the date), invited twice, diagnosed or registered
    in the last 9 months. -#}
{% macro hypertension_bp_control_exclusions() %}
    {{ exclusion_events(['htmax_cod'], 'max_tolerated_therapy', 1, window_months=12) }}
    union all
    {{ exclusion_events(['hyppcapu_cod'], 'care_unsuitable', 2, window_months=12) }}
    union all
    {{ exclusion_events(['hyppcadec_cod', 'bpdec_cod'], 'care_declined', 3, window_months=12) }}
    union all
    {{ invited_twice_exclusions('hypinvite_cod', 4) }}
    union all
    {{ recent_start_exclusions(5, 'int_indicators__hypertension_register', diagnosis_months=9, registration_months=9) }}
{% endmacro %}
