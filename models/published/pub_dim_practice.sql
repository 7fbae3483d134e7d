-- GP practices for BI (published.dim_practice): dim_practice with its person counts rounded to the nearest 5
-- (macro sdc_rounded_count; a list of 1 to 7 patients would be withheld) and the deprivation of each list.
with

practices as (

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
        imd_quintile_among_practices,
        as_of_date
    from {{ ref('dim_practice') }}

),

published as (

    select
        practice_code,
        practice_name,
        pcn_code,
        pcn_name,
        borough_code,
        borough_name,
        icb_code,
        {{ sdc_rounded_count('registered_patients') }} as registered_patients,
        {{ sdc_rounded_count('patients_with_lsoa') }} as registered_with_lsoa,
        imd_score_weighted,
        core20_share,
        imd_quintile_among_practices,
        as_of_date
    from practices

)

select * from published
