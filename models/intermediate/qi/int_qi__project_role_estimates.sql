-- Each QI project's level, absolute gap and SII per role (intervention, comparison): before and after (cross-
-- sectional, over the baseline and follow-up windows of int_qi__project_windows) and the within-patient change, with
-- SEs, and the change of the least deprived quintile (for the "levelled down" rule). One row per project and role,
-- every project with both roles (NULL where a role has no patients). Gaps are oriented as WHO HEAT: positive = the
-- most deprived quintile is worse off (least minus most deprived when higher is better, most minus least deprived
-- when lower is better). SII follows PHE (least minus most deprived, not oriented). A quintile with fewer patients
-- than var inequality_min_subgroup_denominator is not used (its SD, and so its weight, is unreliable): the gap
-- needs both end quintiles, the SII all five (as fct_inequality_indices suppresses an incomplete gradient).
{%- set partition_by = ['project_id', 'role', 'quantity'] %}
{%- set quantities = {'level_before': 'before', 'level_after': 'after', 'change': 'change'} %}
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

-- Every estimate in one shape: the level (all patients), the gap, the SII and the least deprived quintile's change.
measures as (

    select
        project_id,
        role,
        'level' as measure,
        quantity,
        estimate,
        se,
        n
    from overall
    union all
    select
        project_id,
        role,
        'gap' as measure,
        quantity,
        estimate,
        se,
        cast(null as {{ dbt.type_bigint() }}) as n
    from gaps
    union all
    select
        project_id,
        role,
        'sii' as measure,
        quantity,
        estimate,
        se,
        cast(null as {{ dbt.type_bigint() }}) as n
    from slope_indices
    union all
    select
        project_id,
        role,
        'least_deprived' as measure,
        quantity,
        estimate,
        se,
        n
    from quintiles
    where quantity = 'change' and subgroup_order = 5

),

roles as (

    select 'intervention' as role
    union all
    select 'comparison' as role

),

-- One row per (project, role) with every measure and quantity side by side.
by_role as (

    select
        projects.project_id,
        roles.role,
        {%- for measure in ['level', 'gap', 'sii'] %}
        {%- for quantity, suffix in quantities.items() %}
        max(
            case
                when measures.measure = '{{ measure }}' and measures.quantity = '{{ quantity }}' then measures.estimate
            end
        ) as {{ measure }}_{{ suffix }},
        max(
            case when measures.measure = '{{ measure }}' and measures.quantity = '{{ quantity }}' then measures.se end
        ) as {{ measure }}_{{ suffix }}_se,
        {%- endfor %}
        {%- endfor %}
        max(case when measures.measure = 'least_deprived' then measures.estimate end) as least_deprived_change,
        max(case when measures.measure = 'least_deprived' then measures.se end) as least_deprived_change_se,
        max(
            case when measures.measure = 'level' and measures.quantity = 'change' then measures.n end
        ) as n_paired_patients,
        max(
            case when measures.measure = 'level' and measures.quantity = 'level_after' then measures.n end
        ) as n_patients_after
    from projects
    cross join roles
    left join measures
        on projects.project_id = measures.project_id and roles.role = measures.role
    group by projects.project_id, roles.role

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
from by_role
