-- LSOAs and their deprivation for BI (published.dim_lsoa): dim_lsoa as it is, public reference data (English
-- Indices of Deprivation 2019, ONS names; no person counts).
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
    from {{ ref('dim_lsoa') }}

)

select * from lsoas
