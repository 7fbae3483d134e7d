-- English Indices of Deprivation 2019 for every LSOA (2011), from seed ref_lsoa11_imd2019 (MHCLG, OGL v3).
with

imd as (

    select
        cast(lsoa11_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(lsoa11_name as {{ dbt.type_string() }}) as lsoa_name,
        cast(lad19_code as {{ dbt.type_string() }}) as local_authority_code,
        cast(lad19_name as {{ dbt.type_string() }}) as local_authority_name,
        cast(imd_score as {{ dbt.type_float() }}) as imd_score,
        cast(imd_rank as {{ dbt.type_int() }}) as imd_rank,
        cast(imd_decile as {{ dbt.type_int() }}) as imd_decile,
        cast(imd_quintile as {{ dbt.type_int() }}) as imd_quintile
    from {{ ref('ref_lsoa11_imd2019') }}

)

select * from imd
