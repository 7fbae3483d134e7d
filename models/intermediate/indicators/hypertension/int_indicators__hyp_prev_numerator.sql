-- HYP_PREV numerator, as status intervals: the dates on which a person is on the hypertension register (QOF HYP001);
-- the outcomes read it at the year ends of the denominator.
with

numerator_rows as (

    select
        person_id,
        valid_from,
        valid_to,
        cast(null as {{ type_double() }}) as value
    from {{ ref('int_indicators__hypertension_register') }}
    where is_on_register

)

select * from numerator_rows
