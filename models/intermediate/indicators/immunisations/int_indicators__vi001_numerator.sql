-- VI001 numerator, as status intervals: three doses of a diphtheria-, tetanus- and pertussis-containing vaccine
-- (DTaP/IPV/Hib or the 6-in-1, any dose code; one dose per day) before 8 months of age, given on or before the date.
with

dtap_doses as (

    {{ immunisation_doses([
        'nel_childhood_imms_dtap_ipv_hib_1', 'nel_childhood_imms_dtap_ipv_hib_2', 'nel_childhood_imms_dtap_ipv_hib_3',
        'nel_childhood_imms_6in1_1', 'nel_childhood_imms_6in1_2', 'nel_childhood_imms_6in1_3'
    ], 0, 8, 3) }}

),

numerator_rows as (

    select
        person_id,
        greatest(valid_from, reached_date) as valid_from,
        valid_to,
        cast(null as {{ type_double() }}) as value
    from dtap_doses
    where reached_date < valid_to

)

select * from numerator_rows
