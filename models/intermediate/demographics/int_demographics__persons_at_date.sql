-- Demographics of every person with a usable GMS registration on or before the as-of date (var as_of_date; default
-- the extract's last day), one row per person, as known on that date (macro demographics_at_dates, which the
-- yearly data-quality marts share):
--   registration  the latest started registration period (int_registrations__gms_registration_periods); the
--                 person is registered if it covers the date, and its patient record gives sex and birth date;
--   age           completed years from the month-precision birth date (macro age_in_years);
--   ethnicity     the latest usable ethnicity code on or before the date (ties: the higher observation id),
--                 including 'not stated' (Z): a later "not stated" replaces an earlier category, as in Discovery's
--                 own patient.ethnic_code_concept_id; no code at all is 'not recorded', kept apart from it;
--   residence     the address period covering the date (int_demographics__address_periods): its LSOA and IMD
--                 2019 position, or NULL with lsoa_status saying why (the address's LSOA rule, or no_address);
--   death         the patient record's date_of_death if on or before the date.
with

reporting_dates as (

    select {{ as_of_date() }} as reporting_date

),

persons_at_dates as (

    {{ demographics_at_dates('reporting_dates') }}

)

select * from persons_at_dates
