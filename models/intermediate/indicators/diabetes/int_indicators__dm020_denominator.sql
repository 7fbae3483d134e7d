-- DM020 denominator: registered patients aged 17 or over on the diabetes register at the period end,
-- with no moderate or severe frailty (their latest frailty code).

with

denominator_rows as (

    {{ diabetes_hba1c_control_denominator(with_frailty=false) }}

)

select * from denominator_rows
