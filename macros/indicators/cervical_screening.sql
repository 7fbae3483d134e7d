{#- The three parts of QOF's cervical screening indicators (CS005: women 25-49, screened within 3.5 years; CS006:
    women 50-64, within 5.5 years). Each renders a select for one component model. -#}

{#- Denominator: registered women aged `min_age` to `max_age` at the period end. -#}
{% macro cervical_screening_denominator(min_age, max_age) %}
with

    women as (

        select *
        from {{ ref('int_indicators__population_intervals') }}
        where sex = 'female'

    ),

    women_at_period_ends as (

        {{ population_at_period_ends('women', min_age_months=min_age * 12, max_age_months=max_age * 12 + 11) }}

    )

    select {{ registered_population_columns('women_at_period_ends') }}
    from women_at_period_ends
{% endmacro %}

{#- Numerator: a cervical screening test (SMEAR_COD) in the `lookback_months` before the period end. -#}
{% macro cervical_screening_numerator(denominator, lookback_months) %}
with

    screening_days as (

        select distinct
            person_id,
            clinical_effective_date
        from {{ ref('int_clinical__coded_events') }}
        where codelist_id = 'smear_cod'

    ),

    latest_screening as (

        {{ validity_intervals('screening_days', 'person_id', 'clinical_effective_date', 'clinical_effective_date',
            window_months=lookback_months) }}

    )

    select
        denominator_rows.person_id,
        denominator_rows.period_end,
        cast(null as {{ type_double() }}) as value
    from {{ ref(denominator) }} as denominator_rows
    inner join latest_screening
        on
            denominator_rows.person_id = latest_screening.person_id
            and {{ interval_covers('latest_screening', 'denominator_rows.period_end') }}
{% endmacro %}

{#- Exclusions, QOF rule order: cervix removed (NOCX_COD ever: removes achievers too), screening unsuitable,
    declined, no response to three invitations (each in the lookback), registered in the last 3 months. -#}
{% macro cervical_screening_exclusions(denominator, lookback_months) %}
    {{ exclusion_events(ref(denominator), ['nocx_cod'], 'cervix_removed', 1, excludes_achievers=true) }}
    union all
    {{ exclusion_events(ref(denominator), ['cspu_cod'], 'care_unsuitable', 2, window_months=lookback_months) }}
    union all
    {{ exclusion_events(ref(denominator), ['csdec_cod'], 'care_declined', 3, window_months=lookback_months) }}
    union all
    {{ exclusion_events(ref(denominator), ['cspcainvite_cod'], 'no_response_to_invitations', 4,
        window_months=lookback_months) }}
    union all
    {{ recent_start_exclusions(ref(denominator), 4, registration_months=3) }}
{% endmacro %}
