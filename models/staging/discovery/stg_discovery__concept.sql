-- Discovery concept, one row per dbid. A delete row (is_delete, only the key filled) removes itself and every row
-- with its dbid, and exact duplicate rows are collapsed; stg_discovery__removed_rows lists the rows that go, and
-- fct_dq_reconciliation checks that nothing else is lost. No row-level rule applies yet (no dq_reason). Conflicting
-- versions of a record are not resolved (the dbid tests catch them).
with

kept_rows as (

    {{ discovery_kept_rows(source('discovery', 'concept'), key='dbid') }}

),

typed_rows as (

    select distinct
        cast(dbid as {{ dbt.type_int() }}) as dbid,
        cast(document as {{ dbt.type_int() }}) as document,
        cast(id as {{ dbt.type_string() }}) as id,
        cast(draft as {{ dbt.type_boolean() }}) as draft,
        cast(name as {{ dbt.type_string() }}) as name,
        cast(description as {{ dbt.type_string() }}) as description,
        cast(scheme as {{ dbt.type_bigint() }}) as scheme,
        cast(code as {{ dbt.type_string() }}) as code,
        cast(use_count as {{ dbt.type_int() }}) as use_count,
        cast(updated as {{ dbt.type_timestamp() }}) as updated
    from kept_rows

)

select * from typed_rows
