-- Each QI project's level, absolute gap and SII per role (intervention, comparison): before and after (cross-
-- sectional, over the baseline and follow-up windows of int_qi__project_windows) and the within-patient change, with
-- SEs, and the change of the least deprived quintile (for the "levelled down" rule). One row per project and role,
-- every project with both roles (NULL where a role has no patients). Gaps are oriented as WHO HEAT: positive = the
-- most deprived quintile is worse off (least minus most deprived when higher is better, most minus least deprived
-- when lower is better). SII follows PHE (least minus most deprived, not oriented). A quintile with fewer patients
-- than var inequality_min_subgroup_denominator is not used (its SD, and so its weight, is unreliable): the gap
-- needs both end quintiles, the SII all five (as fct_inequality_indices suppresses an incomplete gradient).
{%- set partition_by = ['evaluation_id', 'role', 'quantity'] %}
{%- set quantities = {'level_before': 'before', 'level_after': 'after', 'change': 'change'} %}
with

projects as (

    select evaluation_id from {{ ref('int_qi__evaluations') }}

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
        evaluation_id,
        role,
        quantity
    from quintiles
    group by evaluation_id, role, quantity
    having count(*) = 5

),

complete_gradients as (

    select quintiles.*
    from quintiles
    inner join complete_gradient_keys
        on
            quintiles.evaluation_id = complete_gradient_keys.evaluation_id
            and quintiles.role = complete_gradient_keys.role
            and quintiles.quantity = complete_gradient_keys.quantity

),

slope_indices as (

    select
        evaluation_id,
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
        most_deprived.evaluation_id,
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
            most_deprived.evaluation_id = least_deprived.evaluation_id
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
        evaluation_id,
        role,
        'level' as measure,
        quantity,
        estimate,
        se,
        n
    from overall
    union all
    select
        evaluation_id,
        role,
        'gap' as measure,
        quantity,
        estimate,
        se,
        cast(null as {{ dbt.type_bigint() }}) as n
    from gaps
    union all
    select
        evaluation_id,
        role,
        'sii' as measure,
        quantity,
        estimate,
        se,
        cast(null as {{ dbt.type_bigint() }}) as n
    from slope_indices
    union all
    select
        evaluation_id,
        role,
        'least_deprived' as measure,
        quantity,
        estimate,
        se,
        n
    from quintiles
    where subgroup_order = 5

),

roles as (

    select 'intervention' as role
    union all
    select 'comparison' as role

),

-- One row per (project, role) with every measure and quantity side by side.
by_role as (

    select
        projects.evaluation_id,
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
        {%- for quantity, suffix in quantities.items() %}
        max(
            case
                when measures.measure = 'least_deprived' and measures.quantity = '{{ quantity }}'
                    then measures.estimate
            end
        ) as least_deprived_{{ suffix }},
        max(
            case when measures.measure = 'least_deprived' and measures.quantity = '{{ quantity }}' then measures.se end
        ) as least_deprived_{{ suffix }}_se,
        {%- endfor %}
        max(
            case when measures.measure = 'level' and measures.quantity = 'change' then measures.n end
        ) as n_paired_patients,
        max(
            case when measures.measure = 'level' and measures.quantity = 'level_after' then measures.n end
        ) as n_patients_after
    from projects
    cross join roles
    left join measures
        on projects.evaluation_id = measures.evaluation_id and roles.role = measures.role
    group by projects.evaluation_id, roles.role

),

-- Which change the evaluation uses: within-patient (patients in both windows) when every role with patients has
-- such patients; otherwise, as for an age-defined cohort (children reaching an immunisation age move on before the
-- follow-up), the cross-sectional change after - before of each role, with SE sqrt(se_before^2 + se_after^2).
designs as (

    select
        evaluation_id,
        case
            when min(case when n_patients_after > 0 then coalesce(n_paired_patients, 0) end) > 0
                then 'within-patient'
            else 'cross-sectional'
        end as change_design
    from by_role
    group by evaluation_id

)

select
    by_role.evaluation_id,
    by_role.role,
    by_role.level_before,
    by_role.level_before_se,
    by_role.level_after,
    by_role.level_after_se,
    cast(by_role.n_paired_patients as {{ dbt.type_bigint() }}) as n_paired_patients,
    cast(by_role.n_patients_after as {{ dbt.type_bigint() }}) as n_patients_after,
    by_role.gap_before,
    by_role.gap_before_se,
    by_role.gap_after,
    by_role.gap_after_se,
    by_role.sii_before,
    by_role.sii_before_se,
    by_role.sii_after,
    by_role.sii_after_se,
    {%- for measure in ['level', 'gap', 'sii', 'least_deprived'] %}
    case
        when designs.change_design = 'within-patient' then by_role.{{ measure }}_change
        else by_role.{{ measure }}_after - by_role.{{ measure }}_before
    end as {{ measure }}_change,
    case
        when designs.change_design = 'within-patient' then by_role.{{ measure }}_change_se
        else sqrt(
            by_role.{{ measure }}_after_se * by_role.{{ measure }}_after_se
            + by_role.{{ measure }}_before_se * by_role.{{ measure }}_before_se
        )
    end as {{ measure }}_change_se,
    {%- endfor %}
    designs.change_design
from by_role
inner join designs
    on by_role.evaluation_id = designs.evaluation_id
