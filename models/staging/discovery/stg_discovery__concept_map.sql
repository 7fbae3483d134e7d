-- Discovery concept_map, one row per id. A delete row (is_delete, only the key filled) removes itself and every row
-- with its id, and exact duplicate rows are collapsed; stg_discovery__removed_rows lists the rows that go, and
-- fct_dq_reconciliation checks that nothing else is lost. No row-level rule applies yet (no dq_reason). Conflicting
-- versions of a record are not resolved (the id tests catch them).
with

staged_rows as (

    {{ discovery_staged_rows(source('discovery', 'concept_map')) }}

),

typed_rows as (

    select
        cast(legacy as {{ dbt.type_int() }}) as legacy,
        cast(core as {{ dbt.type_int() }}) as core,
        cast(updated as {{ dbt.type_timestamp() }}) as updated,
        cast(id as {{ dbt.type_int() }}) as id,
        cast(deleted as {{ dbt.type_boolean() }}) as deleted
    from staged_rows

)

select * from typed_rows
