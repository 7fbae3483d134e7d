-- Each QI project's level, absolute gap and SII per role (intervention, comparison): before and after (cross-
-- sectional, over the baseline and follow-up windows of int_qi__project_windows) and the within-patient change, with
-- SEs, and the change of the least deprived quintile (for the "levelled down" rule). One row per project and role,
-- every project with both roles (NULL where a role has no patients). Gaps are oriented as WHO HEAT: positive = the
-- most deprived quintile is worse off (least minus most deprived when higher is better, most minus least deprived
-- when lower is better). SII follows PHE (least minus most deprived, not oriented). A quintile with fewer patients
-- than var inequality_min_subgroup_denominator is not used (its SD, and so its weight, is unreliable): the gap
-- needs both end quintiles, the SII all five (as fct_inequality_indices suppresses an incomplete gradient).
{%- set partition_by = ['project_id', 'role', 'quantity'] %}
with

projects as (

    select project_id from {{ ref('stg_qi__projects') }}

),

subgroups as (

    select * from {{ ref('int_qi__project_subgroups') }}

),

quintiles as (

    select * from subgroups
    where
        subgroup_order between 1 and 5
        and n >= {{ var('inequality_min_subgroup_denominator') }}

),

complete_gradient_keys as (

    select
        project_id,
        role,
        quantity
    from quintiles
    group by project_id, role, quantity
    having count(*) = 5

),

complete_gradients as (

    select quintiles.*
    from quintiles
    inner join complete_gradient_keys
        on
            quintiles.project_id = complete_gradient_keys.project_id
            and quintiles.role = complete_gradient_keys.role
            and quintiles.quantity = complete_gradient_keys.quantity

),

slope_indices as (

    select
        project_id,
        role,
        quantity,
        estimate,
        se
    from ({{ inequality_sii_phe('complete_gradients', partition_by, value_type=0) }}) as sii
    where measure = 'sii'

),

-- The absolute gap: most vs least deprived quintile, oriented so that positive = the most deprived worse off.
gaps as (

    select
        most_deprived.project_id,
        most_deprived.role,
        most_deprived.quantity,
        case
            when most_deprived.is_favourable then least_deprived.estimate - most_deprived.estimate
            else most_deprived.estimate - least_deprived.estimate
        end as estimate,
        sqrt(most_deprived.se * most_deprived.se + least_deprived.se * least_deprived.se) as se
    from quintiles as most_deprived
    inner join quintiles as least_deprived
        on
            most_deprived.project_id = least_deprived.project_id
            and most_deprived.role = least_deprived.role
            and most_deprived.quantity = least_deprived.quantity
    where most_deprived.subgroup_order = 1 and least_deprived.subgroup_order = 5

),

overall as (

    select * from subgroups
    where subgroup_order = 0

),

roles as (

    select 'intervention' as role
    union all
    select 'comparison' as role

),

-- One row per (project, role) with every quantity side by side.
by_role as (

    select
        projects.project_id,
        roles.role,
        max(case when overall.quantity = 'level_before' then overall.estimate end) as level_before,
        max(case when overall.quantity = 'level_before' then overall.se end) as level_before_se,
        max(case when overall.quantity = 'level_after' then overall.estimate end) as level_after,
        max(case when overall.quantity = 'level_after' then overall.se end) as level_after_se,
        max(case when overall.quantity = 'change' then overall.estimate end) as level_change,
        max(case when overall.quantity = 'change' then overall.se end) as level_change_se,
        max(case when overall.quantity = 'change' then overall.n end) as n_paired_patients,
        max(case when overall.quantity = 'level_after' then overall.n end) as n_patients_after
    from projects
    cross join roles
    left join overall
        on projects.project_id = overall.project_id and roles.role = overall.role
    group by projects.project_id, roles.role

),

gaps_by_role as (

    select
        project_id,
        role,
        max(case when quantity = 'level_before' then estimate end) as gap_before,
        max(case when quantity = 'level_before' then se end) as gap_before_se,
        max(case when quantity = 'level_after' then estimate end) as gap_after,
        max(case when quantity = 'level_after' then se end) as gap_after_se,
        max(case when quantity = 'change' then estimate end) as gap_change,
        max(case when quantity = 'change' then se end) as gap_change_se
    from gaps
    group by project_id, role

),

least_deprived_changes as (

    select
        project_id,
        role,
        estimate as least_deprived_change,
        se as least_deprived_change_se
    from quintiles
    where quantity = 'change' and subgroup_order = 5

),

slopes_by_role as (

    select
        project_id,
        role,
        max(case when quantity = 'level_before' then estimate end) as sii_before,
        max(case when quantity = 'level_before' then se end) as sii_before_se,
        max(case when quantity = 'level_after' then estimate end) as sii_after,
        max(case when quantity = 'level_after' then se end) as sii_after_se,
        max(case when quantity = 'change' then estimate end) as sii_change,
        max(case when quantity = 'change' then se end) as sii_change_se
    from slope_indices
    group by project_id, role

),

roles_combined as (

    select
        by_role.*,
        gaps_by_role.gap_before,
        gaps_by_role.gap_before_se,
        gaps_by_role.gap_after,
        gaps_by_role.gap_after_se,
        gaps_by_role.gap_change,
        gaps_by_role.gap_change_se,
        slopes_by_role.sii_before,
        slopes_by_role.sii_before_se,
        slopes_by_role.sii_after,
        slopes_by_role.sii_after_se,
        slopes_by_role.sii_change,
        slopes_by_role.sii_change_se,
        least_deprived_changes.least_deprived_change,
        least_deprived_changes.least_deprived_change_se
    from by_role
    left join gaps_by_role
        on by_role.project_id = gaps_by_role.project_id and by_role.role = gaps_by_role.role
    left join slopes_by_role
        on by_role.project_id = slopes_by_role.project_id and by_role.role = slopes_by_role.role
    left join least_deprived_changes
        on by_role.project_id = least_deprived_changes.project_id and by_role.role = least_deprived_changes.role

)

select
    project_id,
    role,
    level_before,
    level_before_se,
    level_after,
    level_after_se,
    level_change,
    level_change_se,
    cast(n_paired_patients as {{ dbt.type_bigint() }}) as n_paired_patients,
    cast(n_patients_after as {{ dbt.type_bigint() }}) as n_patients_after,
    gap_before,
    gap_before_se,
    gap_after,
    gap_after_se,
    gap_change,
    gap_change_se,
    sii_before,
    sii_before_se,
    sii_after,
    sii_after_se,
    sii_change,
    sii_change_se,
    least_deprived_change,
    least_deprived_change_se
from roles_combined
