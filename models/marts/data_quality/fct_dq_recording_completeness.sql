-- How completely ethnicity and residence (LSOA) are recorded, by practice x IMD 2019 quintile x ethnic group (ONS
-- 5+1) at each QOF year end: counts of registered persons (int_demographics__persons_at_year_ends) by their
-- ethnicity status and LSOA status. Persons with no valid LSOA fall in imd_quintile 'unknown'; persons with no
-- ethnicity code in ethnicity_group_5 'Not recorded'. Missingness that differs between groups biases every
-- inequality estimate built on these fields: fct_dq_uneven_missingness tests it.
with

registered_persons as (

    select
        persons.reporting_date,
        practices.ods_code as practice_code,
        coalesce(cast(persons.imd_quintile as {{ dbt.type_string() }}), 'unknown') as imd_quintile,
        persons.ethnicity_group_5,
        persons.ethnicity_status,
        persons.lsoa_status
    from {{ ref('int_demographics__persons_at_year_ends') }} as persons
    inner join {{ ref('stg_discovery__organization') }} as practices
        on persons.organization_id = practices.id
    where persons.is_registered

),

completeness as (

    select
        reporting_date as period_end,
        cast(practice_code as {{ dbt.type_string() }}) as practice_code,
        cast(imd_quintile as {{ dbt.type_string() }}) as imd_quintile,
        cast(ethnicity_group_5 as {{ dbt.type_string() }}) as ethnicity_group_5,
        cast(count(*) as {{ dbt.type_bigint() }}) as registered_patients,
        cast(sum(case when ethnicity_status = 'recorded' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as ethnicity_recorded,
        cast(sum(case when ethnicity_status = 'not_stated' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as ethnicity_not_stated,
        cast(sum(case when ethnicity_status = 'not_recorded' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as ethnicity_not_recorded,
        cast(sum(case when lsoa_status = 'valid' then 1 else 0 end) as {{ dbt.type_bigint() }}) as lsoa_known,
        cast(sum(case when lsoa_status != 'valid' then 1 else 0 end) as {{ dbt.type_bigint() }}) as lsoa_unknown
    from registered_persons
    group by reporting_date, practice_code, imd_quintile, ethnicity_group_5

)

select * from completeness
