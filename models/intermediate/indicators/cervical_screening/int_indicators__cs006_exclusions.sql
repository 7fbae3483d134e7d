-- CS006 exclusions: cervix removed, then the personalised care adjustments (macro cervical_screening_exclusions).
with

exclusion_rows as (

    {{ cervical_screening_exclusions('int_indicators__cs006_denominator', 66) }}

)

select * from exclusion_rows
