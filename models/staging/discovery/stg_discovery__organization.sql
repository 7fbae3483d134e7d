-- Discovery organization, one row per id. A delete row (is_delete, only the key filled) removes itself and every row
-- with its id, and exact duplicate rows are collapsed; stg_discovery__removed_rows lists the rows that go, and
-- fct_dq_reconciliation checks that nothing else is lost. No row-level rule applies yet (no dq_reason). Conflicting
-- versions of a record are not resolved (the id tests catch them).
with

staged_rows as (

    {{ discovery_staged_rows(source('discovery', 'organization')) }}

),

typed_rows as (

    select
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(ods_code as {{ dbt.type_string() }}) as ods_code,
        cast(name as {{ dbt.type_string() }}) as name,
        cast(type_code as {{ dbt.type_string() }}) as type_code,
        cast(type_desc as {{ dbt.type_string() }}) as type_desc,
        cast(parent_organization_id as {{ dbt.type_bigint() }}) as parent_organization_id
    from staged_rows

)

select * from typed_rows
