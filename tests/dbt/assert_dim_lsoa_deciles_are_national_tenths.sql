-- IMD 2019 deciles and quintiles are national: each decile holds a tenth of England's 32,844 LSOAs (to one LSOA),
-- quintile q = deciles 2q - 1 and 2q, and Core20 (the most deprived fifth) = deciles 1 and 2. Returns the deciles
-- that break this; a truncated or mis-keyed IMD seed fails here.
with

deciles as (

    select
        imd_decile,
        count(*) as n_lsoas,
        sum(case when is_core20 then 1 else 0 end) as n_core20,
        sum(case when imd_quintile = cast(ceil(imd_decile / 2.0) as integer) then 1 else 0 end) as n_in_quintile
    from {{ ref('dim_lsoa') }}
    group by imd_decile

),

england as (

    select count(*) as n_lsoas
    from {{ ref('dim_lsoa') }}

)

select
    deciles.imd_decile,
    deciles.n_lsoas,
    deciles.n_core20,
    deciles.n_in_quintile
from deciles
cross join england
where
    deciles.imd_decile is null
    or abs(deciles.n_lsoas * 10 - england.n_lsoas) > 10
    or deciles.n_in_quintile != deciles.n_lsoas
    or deciles.n_core20 != case when deciles.imd_decile <= 2 then deciles.n_lsoas else 0 end
    or england.n_lsoas != 32844
