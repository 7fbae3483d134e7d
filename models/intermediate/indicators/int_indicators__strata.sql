-- Every stratum the indicator marts break down by, one row per stratum_id: a combination of ESP 2013 age band, sex,
-- NHS ethnic category (16 + 'not stated', or none recorded) and national IMD 2019 decile (or none known), with what
-- derives from them (5 ethnic groups, IMD quintile, Core20, ethnicity status). Person-periods carry the integer
-- stratum_id alone, not seven stratifier columns (three of them text); counts take the labels from here. The id
-- combines a person part (sex, ethnicity, deprivation) and the age band's number (macro stratum_id). Two coarser
-- integer keys (ethnic category x IMD decile; age band x sex) let the rates sum strata on integers before labelling.
with

age_bands as (

    select
        age_band,
        age_lower,
        age_upper,
        row_number() over (order by age_lower) as age_band_number
    from {{ ref('ref_esp2013') }}

),

-- the values macro sex_from_gender_concept returns
sexes as (

    select 'female' as sex
    union all
    select 'male' as sex
    union all
    select 'other' as sex
    union all
    select 'unknown' as sex

),

ethnic_categories as (

    select
        nhs16_code,
        nhs16_label,
        ethnicity_group_5
    from {{ ref('ref_nhs_ethnic_category') }}
    union all
    select
        cast(null as {{ dbt.type_string() }}) as nhs16_code,
        'Not recorded' as nhs16_label,
        'Not recorded' as ethnicity_group_5

),

deprivation_deciles as (

    select distinct
        imd_decile,
        imd_quintile,
        is_core20
    from {{ ref('int_deprivation__lsoas') }}
    union all
    select
        cast(null as {{ dbt.type_int() }}) as imd_decile,
        cast(null as {{ dbt.type_int() }}) as imd_quintile,
        cast(null as {{ dbt.type_boolean() }}) as is_core20

),

person_strata as (

    select
        sexes.sex,
        ethnic_categories.nhs16_code,
        ethnic_categories.nhs16_label,
        ethnic_categories.ethnicity_group_5,
        deprivation_deciles.imd_decile,
        deprivation_deciles.imd_quintile,
        deprivation_deciles.is_core20,
        row_number() over (
            order by sexes.sex, ethnic_categories.nhs16_code, deprivation_deciles.imd_decile
        ) as person_stratum_id
    from sexes
    cross join ethnic_categories
    cross join deprivation_deciles

),

strata as (

    select
        cast({{ stratum_id('person_strata.person_stratum_id', 'age_bands.age_band_number') }} as {{ dbt.type_int() }})
            as stratum_id,
        cast(person_strata.person_stratum_id as {{ dbt.type_int() }}) as person_stratum_id,
        cast(age_bands.age_band_number as {{ dbt.type_int() }}) as age_band_number,
        cast(
            dense_rank() over (order by person_strata.nhs16_code, person_strata.imd_decile) as {{ dbt.type_int() }}
        ) as ethnicity_deprivation_id,
        cast(dense_rank() over (order by age_bands.age_band_number, person_strata.sex) as {{ dbt.type_int() }})
            as age_sex_id,
        cast(age_bands.age_band as {{ dbt.type_string() }}) as age_band,
        age_bands.age_lower,
        age_bands.age_upper,
        cast(person_strata.sex as {{ dbt.type_string() }}) as sex,
        cast(person_strata.nhs16_code as {{ dbt.type_string() }}) as ethnicity_nhs16_code,
        cast(person_strata.nhs16_label as {{ dbt.type_string() }}) as ethnicity_group_16,
        cast(person_strata.ethnicity_group_5 as {{ dbt.type_string() }}) as ethnicity_group_5,
        cast({{ ethnicity_status('person_strata.nhs16_code') }} as {{ dbt.type_string() }}) as ethnicity_status,
        cast(person_strata.imd_decile as {{ dbt.type_int() }}) as imd_decile,
        cast(person_strata.imd_quintile as {{ dbt.type_int() }}) as imd_quintile,
        person_strata.is_core20
    from person_strata
    cross join age_bands

)

select * from strata
