-- Worked example for row_count_reconciles: the raw records that are kept (4 rows).
select
    id,
    status
from {{ ref('fixture_generic_tests__raw_records') }}
where status = 'ok'
