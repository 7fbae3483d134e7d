-- Discovery concept_map, one row per id. Deletes and duplicates get a thin first treatment here: a delete
-- row (is_delete, only the key filled) removes itself and every row with its id, and exact duplicate rows
-- are collapsed. Conflicting versions of a record are not resolved (the id tests catch them); quarantine
-- and raw-to-staged reconciliation come with a later issue.
with

source_rows as (

    select * from {{ source('discovery', 'concept_map') }}

),

deleted_keys as (

    select distinct id
    from source_rows
    where is_delete

),

kept_rows as (

    select source_rows.*
    from source_rows
    left join deleted_keys on source_rows.id = deleted_keys.id
    where
        not coalesce(source_rows.is_delete, false)
        and deleted_keys.id is null

),

typed_rows as (

    select distinct
        cast(legacy as {{ dbt.type_int() }}) as legacy,
        cast(core as {{ dbt.type_int() }}) as core,
        cast(updated as {{ dbt.type_timestamp() }}) as updated,
        cast(id as {{ dbt.type_int() }}) as id,
        cast(deleted as {{ dbt.type_boolean() }}) as deleted
    from kept_rows

)

select * from typed_rows
