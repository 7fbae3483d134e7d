-- VI002 exclusions: registered at 15 months of age or later (macro late_registration_exclusions).
with

exclusion_rows as (

    {{ late_registration_exclusions(ref('int_indicators__vi002_denominator'), 15, 1) }}

)

select * from exclusion_rows
