-- VI002 numerator: a first MMR dose (any MMR dose code) given between the first birthday and 18 months of age.
with

mmr_doses as (

    {{ immunisation_doses(ref('int_indicators__vi002_denominator'), [
        'nel_childhood_imms_mmr_1', 'nel_childhood_imms_mmr_2'
    ], 12, 18) }}

),

numerator_rows as (

    select
        person_id,
        period_end,
        cast(null as {{ type_double() }}) as value
    from mmr_doses
    where n_doses >= 1

)

select * from numerator_rows
