-- Each person's HbA1c (mmol/mol, valid readings of int_clinical__hba1c_readings: IFCC-coded or converted from DCCT)
-- by test day, with the validity interval in which it is their latest result within 12 months (QOF: "the last
-- IFCC-HbA1c in the preceding 12 months"), one row per (person, day); several results on one day count as the
-- lowest.
with

daily_results as (

    select
        person_id,
        clinical_effective_date as test_date,
        min(hba1c_mmol_mol) as hba1c_mmol_mol,
        count(*) as n_results
    from {{ ref('int_clinical__hba1c_readings') }}
    where invalid_reason is null and hba1c_mmol_mol is not null
    group by person_id, clinical_effective_date

),

latest_in_12_months as (

    {{ validity_intervals('daily_results', 'person_id', 'test_date', 'test_date', window_months=12) }}

)

select
    person_id,
    test_date,
    hba1c_mmol_mol,
    n_results,
    valid_from,
    valid_to
from latest_in_12_months
