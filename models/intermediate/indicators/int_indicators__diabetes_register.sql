-- The diabetes register (QOF DM017: DM_COD, resolved by DMRES_COD; the age 17+ rule is the denominators') as validity
-- intervals, one row per (person, date with a diabetes or resolved code): the register state from that date until
-- the next such date (macro qof_register_intervals). Join to person-dates with macro interval_covers.
with

register_intervals as (

    {{ qof_register_intervals('dm_cod', 'dmres_cod') }}

)

select * from register_intervals
