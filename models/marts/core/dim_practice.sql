-- One row per GP practice (organisation type PR) with its PCN, borough and ICB, its list size at the as-of date and
-- the deprivation of its registered population: the population-weighted IMD 2019 score (the mean score of the
-- LSOAs its registered patients live in, the Fingertips method), the share living in Core20 LSOAs, and the
-- practice's quintile of that score among the practices in the extract (1 = most deprived).
with

organizations as (

    select
        id,
        ods_code,
        name,
        type_code,
        parent_organization_id
    from {{ ref('stg_discovery__organization') }}

),

registered_persons as (

    select
        organization_id,
        lsoa_code,
        imd_2019_score,
        is_core20
    from {{ ref('int_demographics__persons_at_date') }}
    where is_registered

),

practice_populations as (

    select
        organization_id,
        count(*) as list_size,
        count(lsoa_code) as patients_with_lsoa,
        avg(imd_2019_score) as imd_2019_score_weighted,
        avg(case when is_core20 then 1.0 when lsoa_code is not null then 0.0 end) as core20_share
    from registered_persons
    group by organization_id

),

practices as (

    select
        cast(practices.ods_code as {{ dbt.type_string() }}) as practice_code,
        cast(practices.name as {{ dbt.type_string() }}) as practice_name,
        cast(pcns.ods_code as {{ dbt.type_string() }}) as pcn_code,
        cast(pcns.name as {{ dbt.type_string() }}) as pcn_name,
        cast(boroughs.ods_code as {{ dbt.type_string() }}) as borough_code,
        cast(boroughs.name as {{ dbt.type_string() }}) as borough_name,
        cast(icbs.ods_code as {{ dbt.type_string() }}) as icb_code,
        cast(coalesce(practice_populations.list_size, 0) as {{ dbt.type_bigint() }}) as list_size,
        cast(coalesce(practice_populations.patients_with_lsoa, 0) as {{ dbt.type_bigint() }}) as patients_with_lsoa,
        cast(practice_populations.imd_2019_score_weighted as {{ dbt.type_float() }}) as imd_2019_score_weighted,
        cast(practice_populations.core20_share as {{ dbt.type_float() }}) as core20_share
    from organizations as practices
    left join organizations as pcns
        on practices.parent_organization_id = pcns.id
    left join organizations as boroughs
        on pcns.parent_organization_id = boroughs.id
    left join organizations as icbs
        on boroughs.parent_organization_id = icbs.id
    left join practice_populations
        on practices.id = practice_populations.organization_id
    where practices.type_code = 'PR'

),

practices_with_quintile as (

    select
        practices.*,
        cast(
            case
                when practices.imd_2019_score_weighted is not null
                    then ntile(5) over (
                        partition by practices.imd_2019_score_weighted is null
                        order by practices.imd_2019_score_weighted desc, practices.practice_code asc
                    )
            end as {{ dbt.type_int() }}
        ) as imd_2019_quintile_among_practices,
        {{ as_of_date() }} as as_of_date
    from practices

)

select * from practices_with_quintile
