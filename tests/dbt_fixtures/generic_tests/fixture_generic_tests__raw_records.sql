-- Worked example for row_count_reconciles: seven raw records of a table called 'records'; four are kept
-- (fixture_generic_tests__kept_records), three set aside (fixture_generic_tests__set_aside_records).
with

raw_records (id, status) as (

    values
    (1, 'ok'),
    (2, 'ok'),
    (3, 'ok'),
    (4, 'ok'),
    (5, 'malformed'),
    (6, 'deleted'),
    (7, 'deleted')

)

select
    id,
    status
from raw_records
