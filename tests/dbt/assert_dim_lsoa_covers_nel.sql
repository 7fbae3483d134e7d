-- NEL has 1,023 LSOAs (2011) in 8 boroughs, 251 of them in national IMD 2019 deciles 1-2 (Core20), and England
-- 32,844 in all (IoD 2019 File 2). Returns a row when dim_lsoa disagrees.
with

counts as (

    select
        count(*) as all_lsoas,
        sum(case when is_nel then 1 else 0 end) as nel_lsoas,
        sum(case when is_nel and is_core20 then 1 else 0 end) as nel_core20_lsoas,
        count(distinct borough_code) as nel_boroughs
    from {{ ref('dim_lsoa') }}

)

select * from counts
where
    all_lsoas != 32844
    or nel_lsoas != 1023
    or nel_core20_lsoas != 251
    or nel_boroughs != 8
