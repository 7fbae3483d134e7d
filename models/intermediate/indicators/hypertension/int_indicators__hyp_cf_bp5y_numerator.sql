-- HYP_CF_BP5Y numerator, as status intervals: the dates with a blood pressure reading (systolic and diastolic) in the 5
-- years (60 months) before them.
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
        person_id,
        valid_from,
        valid_to,
        cast(null as {{ type_double() }}) as value
    from latest_in_5_years

)

select * from numerator_rows
