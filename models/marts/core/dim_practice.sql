-- One row per GP practice (organisation type PR) with its PCN, borough and ICB, its list size at the as-of date and
-- the deprivation of its registered population (int_practices__practices: population-weighted IMD 2019 score, Core20
-- share), and the practice's quintile of that score among the practices in the extract (1 = most deprived).
with

practices as (

    select * from {{ ref('int_practices__practices') }}

),

practices_with_quintile as (

    select
        practice_code,
        practice_name,
        pcn_code,
        pcn_name,
        borough_code,
        borough_name,
        icb_code,
        registered_patients,
        patients_with_lsoa,
        imd_score_weighted,
        core20_share,
        cast(
            case
                when imd_score_weighted is not null
                    then ntile(5) over (
                        partition by imd_score_weighted is null
                        order by imd_score_weighted desc, practice_code asc
                    )
            end as {{ dbt.type_int() }}
        ) as imd_quintile_among_practices,
        {{ as_of_date() }} as as_of_date
    from practices

)

select * from practices_with_quintile
