-- Worked example for row_count_reconciles: records set aside from several tables, one row each, as a
-- quarantine layer would hold them: three from 'records' and two from another table.
with

set_aside (source_table, record_id, reason) as (

    values
    ('records', 5, 'quarantined'),
    ('records', 6, 'deleted'),
    ('records', 7, 'deleted'),
    ('other_table', 1, 'deleted'),
    ('other_table', 2, 'quarantined')

)

select
    source_table,
    record_id,
    reason
from set_aside
