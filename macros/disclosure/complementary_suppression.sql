{#- A select of one row per cell of `cells` (cell_id, value, is_primary): is_suppressed and suppression_reason
    ('small count' for a primary suppression, 'complementary' for a cell suppressed so that no suppressed cell can
    be recovered by arithmetic, NULL for a published cell). `members` (group_id, cell_id, is_total) lists the
    additive groups: the parts of a group add up to its total (the strata of a breakdown and the overall row; the
    practices of a PCN and the PCN's row; ...), and a cell may be in several groups. A group without its total (the
    total row is not published) constrains nothing and is ignored.
    A group with exactly one suppressed cell gives it away (total minus the others), so each pass suppresses, in
    every such group, its smallest open part (non-zero parts first: a zero is often known to be zero; ties by
    cell_id), or its total when no part is open. A complement can leave another group with one suppressed cell,
    so passes repeat (`passes`, default 4; a cascade through nested breakdowns and areas can need a dozen). The
    disclosure audit (equity_qi.disclosure_audit, in make test and after make demo) checks independently that no
    published group is left with exactly one suppressed cell. -#}
{% macro complementary_suppression(cells, members, passes=4) %}
    {{ return(adapter.dispatch('complementary_suppression', 'equity_qi')(cells, members, passes)) }}
{% endmacro %}


{% macro default__complementary_suppression(cells, members, passes) %}
    with

    suppressed_0 as (
        select
            cell_id,
            is_primary as is_suppressed
        from {{ cells }}
    ),
    {% for pass in range(1, passes + 1) %}
    member_states_{{ pass }} as (
        select
            group_members.group_id,
            group_members.cell_id,
            group_members.is_total,
            previous.is_suppressed,
            sum(case when previous.is_suppressed then 1 else 0 end)
                over (partition by group_members.group_id) as n_suppressed,
            sum(case when previous.is_suppressed or group_members.is_total then 0 else 1 end)
                over (partition by group_members.group_id) as n_open_parts,
            max(case when group_members.is_total then 1 else 0 end)
                over (partition by group_members.group_id) as has_total,
            row_number() over (
                partition by group_members.group_id, previous.is_suppressed or group_members.is_total
                order by case when cell_values.value = 0 then 1 else 0 end, cell_values.value, group_members.cell_id
            ) as open_rank
        from {{ members }} as group_members
        inner join {{ cells }} as cell_values
            on group_members.cell_id = cell_values.cell_id
        inner join suppressed_{{ pass - 1 }} as previous
            on group_members.cell_id = previous.cell_id
    ),

    complements_{{ pass }} as (
        select distinct cell_id
        from member_states_{{ pass }}
        where
            n_suppressed = 1
            and has_total = 1
            and not is_suppressed
            and (
                (not is_total and open_rank = 1)
                or (is_total and n_open_parts = 0)
            )
    ),

    suppressed_{{ pass }} as (
        select
            previous.cell_id,
            previous.is_suppressed or complements.cell_id is not null as is_suppressed
        from suppressed_{{ pass - 1 }} as previous
        left join complements_{{ pass }} as complements
            on previous.cell_id = complements.cell_id
    ),
    {% endfor %}
    cell_states as (
        select
            cell_values.cell_id,
            final_states.is_suppressed,
            case
                when cell_values.is_primary then 'small count'
                when final_states.is_suppressed then 'complementary'
            end as suppression_reason
        from {{ cells }} as cell_values
        inner join suppressed_{{ passes }} as final_states
            on cell_values.cell_id = final_states.cell_id
    )

    select * from cell_states
{% endmacro %}
