-- HYP_CF_BP5Y exclusions: none (CVDPREVENT-style case finding has no exceptions).
with

exclusion_rows as (

    {{ no_exclusions() }}

)

select * from exclusion_rows
