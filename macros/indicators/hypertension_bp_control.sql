{#- The three parts of QOF's hypertension BP-control indicators (HYP008, aged 79 or under, target 140/90; HYP009, aged
    80 or over, target 150/90). Each renders a select for one component model. -#}

{#- Denominator: on the hypertension register at the period end, aged `min_age` to `max_age`. -#}
{% macro hypertension_bp_control_denominator(min_age=none, max_age=none) %}
    {{ register_population('int_indicators__hypertension_register', min_age, max_age) }}
{% endmacro %}

{#- Numerator: the latest BP of the 12 months before the period end (int_indicators__latest_blood_pressure) is at or
    below `systolic_max` / `diastolic_max` mmHg. value = NULL (a proportion). -#}
{% macro hypertension_bp_control_numerator(denominator, systolic_max, diastolic_max) %}
    select
        denominator_rows.person_id,
        denominator_rows.period_end,
        cast(null as {{ type_double() }}) as value
    from {{ ref(denominator) }} as denominator_rows
    inner join {{ ref('int_indicators__latest_blood_pressure') }} as latest_readings
        on
            denominator_rows.person_id = latest_readings.person_id
            and {{ interval_covers('latest_readings', 'denominator_rows.period_end') }}
    where
        latest_readings.systolic_mmhg <= {{ systolic_max }}
        and latest_readings.diastolic_mmhg <= {{ diastolic_max }}
{% endmacro %}

{#- Exclusions (personalised care adjustments, QOF rule order): maximal tolerated therapy, care unsuitable, care or
    BP declined (each in the 12 months before the period end), invited twice, diagnosed or registered in the last 9
    months. -#}
{% macro hypertension_bp_control_exclusions(denominator) %}
    {{ exclusion_events(ref(denominator), ['htmax_cod'], 'max_tolerated_therapy', 1, window_months=12) }}
    union all
    {{ exclusion_events(ref(denominator), ['hyppcapu_cod'], 'care_unsuitable', 2, window_months=12) }}
    union all
    {{ exclusion_events(ref(denominator), ['hyppcadec_cod', 'bpdec_cod'], 'care_declined', 3, window_months=12) }}
    union all
    {{ invited_twice_exclusions(ref(denominator), 'hypinvite_cod', 4) }}
    union all
    {{ recent_start_exclusions(ref(denominator), 5, diagnosis_months=9, registration_months=9) }}
{% endmacro %}
