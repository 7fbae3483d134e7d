-- HYP_PREV numerator: on the hypertension register (QOF HYP001) at the year end.
with

numerator_rows as (

    select
        denominator_rows.person_id,
        denominator_rows.period_end,
        cast(null as {{ type_double() }}) as value
    from {{ ref('int_indicators__hyp_prev_denominator') }} as denominator_rows
    inner join {{ ref('int_indicators__hypertension_register') }} as register_states
        on
            denominator_rows.person_id = register_states.person_id
            and {{ interval_covers('register_states', 'denominator_rows.period_end') }}
    where register_states.is_on_register

)

select * from numerator_rows
