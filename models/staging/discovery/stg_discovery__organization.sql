-- Discovery organization, one row per id. Deletes and duplicates get a thin first treatment here: a delete
-- row (is_delete, only the key filled) removes itself and every row with its id, and exact duplicate rows
-- are collapsed. Conflicting versions of a record are not resolved (the id tests catch them); quarantine
-- and raw-to-staged reconciliation come with a later issue.
with

source_rows as (

    select * from {{ source('discovery', 'organization') }}

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
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(ods_code as {{ dbt.type_string() }}) as ods_code,
        cast(name as {{ dbt.type_string() }}) as name,
        cast(type_code as {{ dbt.type_string() }}) as type_code,
        cast(type_desc as {{ dbt.type_string() }}) as type_desc,
        cast(postcode as {{ dbt.type_string() }}) as postcode,
        cast(parent_organization_id as {{ dbt.type_bigint() }}) as parent_organization_id
    from kept_rows

)

select * from typed_rows
