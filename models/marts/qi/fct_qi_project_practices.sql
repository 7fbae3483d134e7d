-- Every QI project's practices and their role, with how comparison practices were chosen (named in the project
-- list, or matched: to which intervention practice, at what distance) and the features the match used.
select
    project_id,
    practice_code,
    role,
    selection,
    matched_to_practice_code,
    match_distance,
    registered_patients,
    imd_score,
    non_white_share,
    baseline_value
from {{ ref('int_qi__project_practices') }}
