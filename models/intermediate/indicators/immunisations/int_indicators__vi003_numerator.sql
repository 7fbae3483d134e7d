-- VI003 numerator: the pre-school DTaP/IPV booster and two MMR doses (on different days), all given between the first
-- and fifth birthdays.
with

booster_doses as (

    {{ immunisation_doses(ref('int_indicators__vi003_denominator'), ['nel_childhood_imms_dtap_ipv_booster'], 12, 60) }}

),

mmr_doses as (

    {{ immunisation_doses(ref('int_indicators__vi003_denominator'), [
        'nel_childhood_imms_mmr_1', 'nel_childhood_imms_mmr_2'
    ], 12, 60) }}

),

numerator_rows as (

    select
        booster_doses.person_id,
        booster_doses.period_end,
        cast(null as {{ type_double() }}) as value
    from booster_doses
    inner join mmr_doses
        on
            booster_doses.person_id = mmr_doses.person_id
            and booster_doses.period_end = mmr_doses.period_end
    where booster_doses.n_doses >= 1 and mmr_doses.n_doses >= 2

)

select * from numerator_rows
