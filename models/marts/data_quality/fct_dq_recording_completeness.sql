-- How completely ethnicity and residence (LSOA) are recorded, by practice x IMD 2019 quintile x ethnic group (ONS
-- 5+1) at each QOF year end: counts of the registered persons every indicator draws from
-- (int_indicators__population_intervals at the year ends, labelled by int_indicators__strata) by ethnicity status
-- and whether their LSOA is known. Persons with no valid LSOA fall in imd_quintile 'unknown'; persons with no
-- ethnicity code in ethnicity_group_5 'Not recorded'. Missingness that differs between groups biases every
-- inequality estimate built on these fields: fct_dq_uneven_missingness tests it.
with

population as (

    {{ population_at_period_ends(ref('int_indicators__population_intervals'), qof_year_ends_only=true) }}

),

registered_persons as (

    select
        population.period_end,
        practices.ods_code as practice_code,
        coalesce(cast(strata.imd_quintile as {{ dbt.type_string() }}), 'unknown') as imd_quintile,
        strata.ethnicity_group_5,
        strata.ethnicity_status,
        -- A usable LSOA always has an IMD 2019 decile (staging quarantines codes the IMD table does not know), so
        -- the stratum's decile says whether the LSOA is known.
        strata.imd_decile is not null as is_lsoa_known
    from population
    inner join {{ ref('int_indicators__strata') }} as strata
        on population.stratum_id = strata.stratum_id
    inner join {{ ref('stg_discovery__organization') }} as practices
        on population.organization_id = practices.id

),

completeness as (

    select
        period_end,
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
        cast(sum(case when is_lsoa_known then 1 else 0 end) as {{ dbt.type_bigint() }}) as lsoa_known,
        cast(sum(case when is_lsoa_known then 0 else 1 end) as {{ dbt.type_bigint() }}) as lsoa_unknown
    from registered_persons
    group by period_end, practice_code, imd_quintile, ethnicity_group_5

)

select * from completeness
