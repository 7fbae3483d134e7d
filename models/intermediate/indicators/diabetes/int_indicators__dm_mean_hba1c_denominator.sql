-- DM_MEAN_HBA1C denominator: registered patients aged 17 or over on the diabetes register at the period end.
with

denominator_rows as (

    {{ register_population('int_indicators__diabetes_register', min_age=17) }}

)

select * from denominator_rows
