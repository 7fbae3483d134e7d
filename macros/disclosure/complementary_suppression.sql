{#- A select of one row per cell of `cells` (cell_id, value, is_primary): is_suppressed and suppression_reason
    ('small count' for a primary suppression, 'complementary' for a cell suppressed so that no suppressed cell can
    be recovered by arithmetic, NULL for a published cell). `members` (group_id, cell_id, is_total) lists the
    additive groups: the parts of a group add up to its total (the strata of a breakdown and the overall row; the
    practices of a PCN and the PCN's row; ...), and a cell may be in several groups. A group without its total (the
    total row is not published) constrains nothing and is ignored.
    A group with exactly one suppressed cell gives it away (total minus the others), so each pass suppresses, in
    every such group, its smallest open part (non-zero parts first: a zero is often known to be zero; ties by
    cell_id), or its total when no part is open. A complement can leave another group with one suppressed cell,
    so passes repeat (`passes`, default 4; a cascade through nested breakdowns and areas can need a dozen). Only the
    first pass reads every group; each later pass reads the groups holding a cell the pass before suppressed. The
    disclosure audit (equity_qi.disclosure_audit, in make test and after make demo) checks independently that no
    published group is left with exactly one suppressed cell. -#}
{% macro complementary_suppression(cells, members, passes=4) %}
    {{ return(adapter.dispatch('complementary_suppression', 'equity_qi')(cells, members, passes)) }}
{% endmacro %}


{% macro default__complementary_suppression(cells, members, passes) %}
    with

    -- each member with its primary state and the order in which an open part is chosen: non-zero parts first, the
    -- smallest first
    valued_members as (
        select
            group_members.group_id,
            group_members.cell_id,
            group_members.is_total,
            cell_values.is_primary,
            case when cell_values.value = 0 then 1.0e15 else cell_values.value end as part_order
        from {{ members }} as group_members
        inner join {{ cells }} as cell_values
            on group_members.cell_id = cell_values.cell_id
    ),

    {% for pass in range(1, passes + 1) %}
    {%- if pass == 1 %}
    -- the first pass reads every group, with the primary suppressions
    member_states_1 as (
        select
            group_id,
            cell_id,
            is_total,
            is_primary as is_suppressed,
            case when not is_primary and not is_total then part_order end as open_order
        from valued_members
    ),
    {%- else %}
    -- a later pass reads only the groups holding a cell the previous pass suppressed: any other group with one
    -- suppressed cell had it before, so the previous pass already gave it a complement
    touched_groups_{{ pass }} as (
        select distinct valued_members.group_id
        from valued_members
        inner join new_suppressions_{{ pass - 1 }} as new_cells
            on valued_members.cell_id = new_cells.cell_id
    ),

    suppressed_so_far_{{ pass }} as (
        {%- for earlier in range(1, pass) %}
        select cell_id from new_suppressions_{{ earlier }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    ),

    member_states_{{ pass }} as (
        select
            valued_members.group_id,
            valued_members.cell_id,
            valued_members.is_total,
            valued_members.is_primary or earlier.cell_id is not null as is_suppressed,
            case
                when not valued_members.is_primary and earlier.cell_id is null and not valued_members.is_total
                    then valued_members.part_order
            end as open_order
        from valued_members
        inner join touched_groups_{{ pass }} as touched
            on valued_members.group_id = touched.group_id
        left join suppressed_so_far_{{ pass }} as earlier
            on valued_members.cell_id = earlier.cell_id
    ),
    {%- endif %}

    -- groups with their total and exactly one suppressed cell, and the order of their best open part
    lone_groups_{{ pass }} as (
        select
            group_id,
            min(open_order) as best_order
        from member_states_{{ pass }}
        group by group_id
        having
            sum(case when is_suppressed then 1 else 0 end) = 1
            and max(case when is_total then 1 else 0 end) = 1
    ),

    new_suppressions_{{ pass }} as (
        -- the best open part (ties: the smallest cell_id)
        select min(states.cell_id) as cell_id
        from member_states_{{ pass }} as states
        inner join lone_groups_{{ pass }} as lone
            on
                states.group_id = lone.group_id
                and states.open_order = lone.best_order
        group by states.group_id
        union
        -- or the total, when no part is open
        select states.cell_id
        from member_states_{{ pass }} as states
        inner join lone_groups_{{ pass }} as lone
            on states.group_id = lone.group_id
        where
            lone.best_order is null
            and states.is_total
            and not states.is_suppressed
    ),
    {% endfor %}
    complements as (
        {%- for pass in range(1, passes + 1) %}
        select cell_id from new_suppressions_{{ pass }}
        {%- if not loop.last %}
        union
        {%- endif %}
        {%- endfor %}
    ),

    cell_states as (
        select
            cell_values.cell_id,
            cell_values.is_primary or complements.cell_id is not null as is_suppressed,
            case
                when cell_values.is_primary then 'small count'
                when complements.cell_id is not null then 'complementary'
            end as suppression_reason
        from {{ cells }} as cell_values
        left join complements
            on cell_values.cell_id = complements.cell_id
    )

    select * from cell_states
{% endmacro %}
