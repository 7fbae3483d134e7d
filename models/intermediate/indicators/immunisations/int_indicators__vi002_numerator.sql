-- VI002 numerator, as status intervals: a first MMR dose (any MMR dose code) given between the first birthday and 18
-- months of age, on or before the date.
with

mmr_doses as (

    {{ immunisation_doses(['nel_childhood_imms_mmr_1', 'nel_childhood_imms_mmr_2'], 12, 18, 1) }}

),

numerator_rows as (

    select
        person_id,
        greatest(valid_from, reached_date) as valid_from,
        valid_to,
        cast(null as {{ type_double() }}) as value
    from mmr_doses
    where reached_date < valid_to

)

select * from numerator_rows
