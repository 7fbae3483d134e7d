-- HYP_PREV exclusions: none (a register count over the list).
with

exclusion_rows as (

    {{ no_exclusions() }}

)

select * from exclusion_rows
