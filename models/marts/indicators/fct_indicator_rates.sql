-- Every indicator's rate at every period end for each geography (practice, PCN, borough, ICB) and breakdown, with its
-- 95% interval: the public face of int_indicators__rates, where the rates are computed (so the inequality and QI
-- models, which are intermediate, read them there). A view: the rows are stored once.
with

rates as (

    select * from {{ ref('int_indicators__rates') }}

)

select
    indicator_id,
    period_end,
    geography_level,
    geography_code,
    dimension,
    stratum,
    value_type,
    numerator,
    denominator,
    excluded,
    value,
    ci_lower,
    ci_upper,
    standard_deviation
from rates
