-- The 1,023 LSOAs (2011) of the 8 north east London boroughs, from seed ref_nel_lsoa11 (ONS, OGL v3).
with

nel_lsoas as (

    select
        cast(lsoa11_code as {{ dbt.type_string() }}) as lsoa_code,
        cast(lad19_code as {{ dbt.type_string() }}) as borough_code,
        cast(lad19_name as {{ dbt.type_string() }}) as borough_name,
        cast(msoa11_code as {{ dbt.type_string() }}) as msoa_code,
        cast(msoa11_name as {{ dbt.type_string() }}) as msoa_name,
        cast(pop_total_mid2015 as {{ dbt.type_int() }}) as population_mid2015,
        cast(imd_quintile_within_nel as {{ dbt.type_int() }}) as nel_imd_quintile,
        cast(is_core20_national as {{ dbt.type_boolean() }}) as is_core20
    from {{ ref('ref_nel_lsoa11') }}

)

select * from nel_lsoas
