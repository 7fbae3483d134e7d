-- VI001 numerator: three doses of a diphtheria-, tetanus- and pertussis-containing vaccine (DTaP/IPV/Hib or the
-- 6-in-1, any dose code; one dose per day) before 8 months of age.
with

dtap_doses as (

    {{ immunisation_doses(ref('int_indicators__vi001_denominator'), [
        'nel_childhood_imms_dtap_ipv_hib_1', 'nel_childhood_imms_dtap_ipv_hib_2', 'nel_childhood_imms_dtap_ipv_hib_3',
        'nel_childhood_imms_6in1_1', 'nel_childhood_imms_6in1_2', 'nel_childhood_imms_6in1_3'
    ], 0, 8) }}

),

numerator_rows as (

    select
        person_id,
        period_end,
        cast(null as {{ type_double() }}) as value
    from dtap_doses
    where n_doses >= 3

)

select * from numerator_rows
