-- Each person's blood pressure by reading day with the validity interval in which it is their latest reading within
-- 12 months (QOF: "the last blood pressure reading in the preceding 12 months"), one row per (person, day). Several
-- readings on one day count as one, with the lowest systolic and the lowest diastolic of the day (QOF's rule for
-- multiple same-day readings). Readings are the paired ones of int_clinical__blood_pressure_readings.
with

daily_readings as (

    select
        person_id,
        reading_date,
        min(systolic_mmhg) as systolic_mmhg,
        min(diastolic_mmhg) as diastolic_mmhg,
        count(*) as n_readings
    from {{ ref('int_clinical__blood_pressure_readings') }}
    group by person_id, reading_date

),

latest_in_12_months as (

    {{ validity_intervals('daily_readings', 'person_id', 'reading_date', 'reading_date', window_months=12) }}

)

select
    person_id,
    reading_date,
    systolic_mmhg,
    diastolic_mmhg,
    n_readings,
    valid_from,
    valid_to
from latest_in_12_months
