-- Discovery patient_address, one row per id. Deletes and duplicates get a thin first treatment here: a delete
-- row (is_delete, only the key filled) removes itself and every row with its id, and exact duplicate rows
-- are collapsed. Conflicting versions of a record are not resolved (the id tests catch them); quarantine
-- and raw-to-staged reconciliation come with a later issue.
with

kept_rows as (

    {{ discovery_kept_rows(source('discovery', 'patient_address')) }}

),

typed_rows as (

    select distinct
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(organization_id as {{ dbt.type_bigint() }}) as organization_id,
        cast(patient_id as {{ dbt.type_bigint() }}) as patient_id,
        cast(person_id as {{ dbt.type_bigint() }}) as person_id,
        cast(address_line_1 as {{ dbt.type_string() }}) as address_line_1,
        cast(address_line_2 as {{ dbt.type_string() }}) as address_line_2,
        cast(address_line_3 as {{ dbt.type_string() }}) as address_line_3,
        cast(address_line_4 as {{ dbt.type_string() }}) as address_line_4,
        cast(city as {{ dbt.type_string() }}) as city,
        cast(postcode as {{ dbt.type_string() }}) as postcode,
        cast(use_concept_id as {{ dbt.type_int() }}) as use_concept_id,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(lsoa_2001_code as {{ dbt.type_string() }}) as lsoa_2001_code,
        cast(lsoa_2011_code as {{ dbt.type_string() }}) as lsoa_2011_code,
        cast(msoa_2001_code as {{ dbt.type_string() }}) as msoa_2001_code,
        cast(msoa_2011_code as {{ dbt.type_string() }}) as msoa_2011_code,
        cast(ward_code as {{ dbt.type_string() }}) as ward_code,
        cast(local_authority_code as {{ dbt.type_string() }}) as local_authority_code
    from kept_rows

)

select * from typed_rows
