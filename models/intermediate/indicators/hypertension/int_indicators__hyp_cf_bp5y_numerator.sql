-- HYP_CF_BP5Y numerator: a blood pressure reading (systolic and diastolic) in the 5 years (60 months) before the
-- period end.
with

daily_readings as (

    select distinct
        person_id,
        reading_date
    from {{ ref('int_indicators__latest_blood_pressure') }}

),

latest_in_5_years as (

    {{ validity_intervals('daily_readings', 'person_id', 'reading_date', 'reading_date', window_months=60) }}

),

numerator_rows as (

    select
        denominator_rows.person_id,
        denominator_rows.period_end,
        cast(null as {{ type_double() }}) as value
    from {{ ref('int_indicators__hyp_cf_bp5y_denominator') }} as denominator_rows
    inner join latest_in_5_years
        on
            denominator_rows.person_id = latest_in_5_years.person_id
            and {{ interval_covers('latest_in_5_years', 'denominator_rows.period_end') }}

)

select * from numerator_rows
