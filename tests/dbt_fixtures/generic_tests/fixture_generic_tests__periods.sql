-- Worked example for periods_do_not_overlap (tests/dbt_fixtures/generic_tests/_generic_tests__fixtures.yml).
-- Person 1: back-to-back periods and an empty one (no overlap). Person 2: a period starts before the previous one
-- ends. Person 3: an open period followed by another (overlap).
with

periods (person_id, period_id, period_start, period_end) as (

    values
    (1, 1, '2020-01-01', '2021-01-01'),
    (1, 2, '2021-01-01', '2021-01-01'),
    (1, 3, '2021-01-01', null),
    (2, 4, '2020-01-01', '2021-06-01'),
    (2, 5, '2021-05-01', '2022-01-01'),
    (3, 6, '2020-01-01', null),
    (3, 7, '2022-01-01', '2023-01-01')

)

select
    person_id,
    period_id,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end
from periods
