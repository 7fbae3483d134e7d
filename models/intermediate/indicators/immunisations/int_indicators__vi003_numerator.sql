-- VI003 numerator, as status intervals: the pre-school DTaP/IPV booster and two MMR doses (on different days), all
-- given between the first and fifth birthdays and on or before the date: from the later of the booster and the second
-- MMR dose.
with

booster_doses as (

    {{ immunisation_doses(['nel_childhood_imms_dtap_ipv_booster'], 12, 60, 1) }}

),

mmr_doses as (

    {{ immunisation_doses(['nel_childhood_imms_mmr_1', 'nel_childhood_imms_mmr_2'], 12, 60, 2) }}

),

numerator_rows as (

    select
        booster_doses.person_id,
        greatest(booster_doses.valid_from, booster_doses.reached_date, mmr_doses.reached_date) as valid_from,
        booster_doses.valid_to,
        cast(null as {{ type_double() }}) as value
    from booster_doses
    inner join mmr_doses
        on
            booster_doses.person_id = mmr_doses.person_id
            and booster_doses.valid_from = mmr_doses.valid_from
    where greatest(booster_doses.reached_date, mmr_doses.reached_date) < booster_doses.valid_to

)

select * from numerator_rows
