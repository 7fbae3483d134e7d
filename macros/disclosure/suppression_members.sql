{#- The `members` input of macro complementary_suppression from `links`, a relation of (part_id, total_id,
    group_kind): each part cell, the total cell it adds up to, and the kind of group (an integer from 0 to 99, so
    that one total can head groups of several kinds). One integer per group (total_id x 100 + group_kind), so the
    suppression passes group by integers; every part once, and each group's total once. -#}
{% macro suppression_members(links) %}
    {{ return(adapter.dispatch('suppression_members', 'equity_qi')(links)) }}
{% endmacro %}


{% macro default__suppression_members(links) %}
    select
        total_id * 100 + group_kind as group_id,
        part_id as cell_id,
        false as is_total
    from {{ links }}
    union all
    select distinct
        total_id * 100 + group_kind as group_id,
        total_id as cell_id,
        true as is_total
    from {{ links }}
{% endmacro %}
