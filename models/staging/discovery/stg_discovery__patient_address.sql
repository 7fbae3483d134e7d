-- Discovery patient_address, one row per id. A delete row (is_delete, only the key filled) removes itself and
-- every row with its id, and exact duplicate rows are collapsed (stg_discovery__removed_rows lists what goes).
-- Every other row is kept; dq_reason flags a 2011 LSOA code that cannot give an English IMD (macro dq_rules):
-- quarantined lsoa_missing, lsoa_malformed, lsoa_non_english (W01/S01), lsoa_unknown (not in IMD 2019); flagged
-- lsoa_outside_nel, a real English LSOA outside north east London (the resident keeps a valid IMD).
with

staged_rows as (

    {{ discovery_staged_rows(source('discovery', 'patient_address')) }}

),

typed_rows as (

    select
        cast(id as {{ dbt.type_bigint() }}) as id,
        cast(organization_id as {{ dbt.type_bigint() }}) as organization_id,
        cast(patient_id as {{ dbt.type_bigint() }}) as patient_id,
        cast(person_id as {{ dbt.type_bigint() }}) as person_id,
        cast(use_concept_id as {{ dbt.type_int() }}) as use_concept_id,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(lsoa_2001_code as {{ dbt.type_string() }}) as lsoa_2001_code,
        cast(lsoa_2011_code as {{ dbt.type_string() }}) as lsoa_2011_code,
        cast(msoa_2001_code as {{ dbt.type_string() }}) as msoa_2001_code,
        cast(msoa_2011_code as {{ dbt.type_string() }}) as msoa_2011_code,
        cast(ward_code as {{ dbt.type_string() }}) as ward_code,
        cast(local_authority_code as {{ dbt.type_string() }}) as local_authority_code
    from staged_rows

),

english_lsoas as (

    select lsoa_code
    from {{ ref('stg_reference__lsoa11_imd2019') }}

),

nel_lsoas as (

    select lsoa_code
    from {{ ref('stg_reference__nel_lsoa11') }}

),

checked_rows as (

    select
        typed_rows.*,
        case
            when nullif(trim(typed_rows.lsoa_2011_code), '') is null
                then 'lsoa_missing'
            when not {{ regex_full_match('typed_rows.lsoa_2011_code', '[EWS]01[0-9]{6}') }}
                then 'lsoa_malformed'
            when typed_rows.lsoa_2011_code like 'W01%' or typed_rows.lsoa_2011_code like 'S01%'
                then 'lsoa_non_english'
            when english_lsoas.lsoa_code is null
                then 'lsoa_unknown'
            when nel_lsoas.lsoa_code is null
                then 'lsoa_outside_nel'
        end as dq_reason
    from typed_rows
    left join english_lsoas
        on typed_rows.lsoa_2011_code = english_lsoas.lsoa_code
    left join nel_lsoas
        on typed_rows.lsoa_2011_code = nel_lsoas.lsoa_code

)

select * from checked_rows
