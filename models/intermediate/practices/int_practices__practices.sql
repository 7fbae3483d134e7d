-- One row per GP practice (organisation type PR) with its PCN, borough and ICB and its registered population at the
-- as-of date (int_demographics__persons_at_date): list size, patients with a known LSOA, the population-weighted IMD
-- 2019 score (the mean score of the LSOAs its registered patients live in, the Fingertips method), the share living
-- in Core20 LSOAs and the share with a recorded non-White ethnic group (of those with a recorded group). The one
-- place a practice's profile is computed: dim_practice publishes it, and the QI comparison matching and the rate
-- marts' geographies read it.
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
        imd_score,
        is_core20,
        ethnicity_group_5
    from {{ ref('int_demographics__persons_at_date') }}
    where is_registered

),

practice_populations as (

    select
        organization_id,
        count(*) as registered_patients,
        count(lsoa_code) as patients_with_lsoa,
        avg(imd_score) as imd_score_weighted,
        avg(case when is_core20 then 1.0 when lsoa_code is not null then 0.0 end) as core20_share,
        {{ safe_divide(
            "sum(case when ethnicity_group_5 in ('Asian', 'Black', 'Mixed', 'Other') then 1 else 0 end)",
            "sum(case when ethnicity_group_5 in ('Asian', 'Black', 'Mixed', 'Other', 'White') then 1 else 0 end)"
        ) }} as non_white_share
    from registered_persons
    group by organization_id

),

practices as (

    select
        practices.id as organization_id,
        cast(practices.ods_code as {{ dbt.type_string() }}) as practice_code,
        cast(practices.name as {{ dbt.type_string() }}) as practice_name,
        cast(pcns.ods_code as {{ dbt.type_string() }}) as pcn_code,
        cast(pcns.name as {{ dbt.type_string() }}) as pcn_name,
        cast(boroughs.ods_code as {{ dbt.type_string() }}) as borough_code,
        cast(boroughs.name as {{ dbt.type_string() }}) as borough_name,
        cast(icbs.ods_code as {{ dbt.type_string() }}) as icb_code,
        cast(coalesce(practice_populations.registered_patients, 0) as {{ dbt.type_bigint() }}) as registered_patients,
        cast(coalesce(practice_populations.patients_with_lsoa, 0) as {{ dbt.type_bigint() }}) as patients_with_lsoa,
        cast(practice_populations.imd_score_weighted as {{ dbt.type_float() }}) as imd_score_weighted,
        cast(practice_populations.core20_share as {{ dbt.type_float() }}) as core20_share,
        cast(practice_populations.non_white_share as {{ type_double() }}) as non_white_share
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

)

select * from practices
