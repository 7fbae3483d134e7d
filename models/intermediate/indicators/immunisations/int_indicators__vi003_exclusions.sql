-- VI003 exclusions: registered at 57 months of age or later (macro late_registration_exclusions).
with

exclusion_rows as (

    {{ late_registration_exclusions(ref('int_indicators__vi003_denominator'), 57, 1) }}

)

select * from exclusion_rows
