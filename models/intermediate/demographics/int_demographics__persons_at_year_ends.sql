-- Every person's demographics at each QOF year end the extract covers (int_calendar__year_ends), one row per person
-- and year end: the rules of int_demographics__persons_at_date (macro demographics_at_dates) applied at each date.
-- Read by the yearly data-quality marts.
with

reporting_dates as (

    select year_end_date as reporting_date
    from {{ ref('int_calendar__year_ends') }}

),

persons_at_dates as (

    {{ demographics_at_dates('reporting_dates') }}

)

select * from persons_at_dates
