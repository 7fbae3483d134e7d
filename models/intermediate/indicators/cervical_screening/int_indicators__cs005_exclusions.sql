-- CS005 exclusions: cervix removed, then the personalised care adjustments (macro cervical_screening_exclusions).
with

exclusion_rows as (

    {{ cervical_screening_exclusions('int_indicators__cs005_denominator', 42) }}

)

select * from exclusion_rows
