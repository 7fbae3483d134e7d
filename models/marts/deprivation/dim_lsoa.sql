-- The public deprivation dimension: every English LSOA 2011 as int_deprivation__lsoas derives it.
with

lsoas as (

    select
        lsoa_code,
        lsoa_name,
        local_authority_code,
        local_authority_name,
        msoa_code,
        imd_score,
        imd_rank,
        imd_decile,
        imd_quintile,
        nel_imd_quintile,
        is_core20,
        is_nel,
        borough_code,
        borough_name
    from {{ ref('int_deprivation__lsoas') }}

)

select * from lsoas
