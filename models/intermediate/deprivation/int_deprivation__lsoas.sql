-- One row per English LSOA 2011 with its IMD 2019 position and, for NEL's own LSOAs, borough and NEL-local
-- quintile. Residents registered with NEL practices can live outside NEL, so every English LSOA is here. Core20 =
-- national IMD 2019 deciles 1-2. Read by the address history (int_demographics__address_periods) and dim_lsoa.
with

imd as (

    select * from {{ ref('stg_reference__lsoa11_imd2019') }}

),

nel_lsoas as (

    select * from {{ ref('stg_reference__nel_lsoa11') }}

),

lsoas as (

    select
        imd.lsoa_code,
        imd.lsoa_name,
        imd.local_authority_code,
        imd.local_authority_name,
        nel_lsoas.msoa_code,
        imd.imd_score,
        imd.imd_rank,
        imd.imd_decile,
        imd.imd_quintile,
        nel_lsoas.nel_imd_quintile,
        imd.imd_decile <= 2 as is_core20,
        nel_lsoas.lsoa_code is not null as is_nel,
        case when nel_lsoas.lsoa_code is not null then imd.local_authority_code end as borough_code,
        case when nel_lsoas.lsoa_code is not null then imd.local_authority_name end as borough_name
    from imd
    left join nel_lsoas on imd.lsoa_code = nel_lsoas.lsoa_code

)

select * from lsoas
