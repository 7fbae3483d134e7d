-- VI001 exclusions: registered at 5 months of age or later (macro late_registration_exclusions).
with

exclusion_rows as (

    {{ late_registration_exclusions(ref('int_indicators__vi001_denominator'), 5, 1) }}

)

select * from exclusion_rows
