-- The hypertension register (QOF HYP001: HYP_COD, resolved by HYPRES_COD) as validity intervals, one row per
-- (person, date with a hypertension or resolved code): the register state from that date until the next such date
-- (macro qof_register_intervals). Join to person-dates with macro interval_covers.
with

register_intervals as (

    {{ qof_register_intervals('hyp_cod', 'hypres_cod') }}

)

select * from register_intervals
