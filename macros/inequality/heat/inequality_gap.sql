{#- SELECT: the WHO HEAT simple measures, one row per partition and measure (the contract of macros/inequality:
    partition columns, measure, estimate, se, ci_lower, ci_upper, n_groups), metrics.md section 2:
      d = y1 - y2     se = sqrt(se1^2 + se2^2), CI = d -/+ z se
      r = y1 / y2     se = SE of ln r = sqrt(se1^2 / y2^2 + y1^2 se2^2 / y2^4) / r (HEAT / healthequal report this
                      log-scale SE), CI = exp(ln r -/+ z se)
    y1 and y2 (HEAT Technical Notes tables 1-2, healthequal d() / r()):
      ordered dimension (every usable subgroup has a subgroup_order): favourable y1 = most advantaged (highest
        subgroup_order among the usable subgroups), y2 = most disadvantaged (lowest); adverse the other way round,
        so d > 0 (r > 1) always means the disadvantaged are worse off. is_reference is ignored.
      non-ordered, no reference subgroup: y1 = highest estimate, y2 = lowest (direction-free).
      non-ordered, exactly one reference subgroup: favourable y1 = reference, y2 = lowest of the OTHER subgroups;
        adverse y1 = highest of the other subgroups, y2 = reference. (healthequal takes the min / max over all
        subgroups including the reference, which gives 0 instead of a negative gap when the reference is itself
        the worst; the two agree otherwise.)
    Ties between subgroups of equal order or estimate are broken by the smaller se (the estimate is the same).
    Subgroups with NULL estimate or population <= 0 are ignored; n_groups counts the rest (all usable subgroups of
    the partition, not only the two compared). NULL rules: estimate, se and CI NULL when fewer than 2 subgroups are
    usable, only some usable subgroups have a subgroup_order (neither ordered nor non-ordered), is_favourable is NULL
    or not constant where the direction matters (ordered, or with a reference), or more than one usable subgroup is
    a reference; r also when y2 = 0; se and CI when se1 or se2 is NULL, and for r when r <= 0. Every partition of
    the relation gets rows. -#}
{% macro inequality_gap(relation, partition_by, confidence=0.95) -%}
    {{ return(adapter.dispatch('inequality_gap', 'equity_qi')(relation, partition_by, confidence)) }}
{%- endmacro %}


{% macro default__inequality_gap(relation, partition_by, confidence=0.95) -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_list = partition_columns | join(', ') -%}
    {%- set partition_select = partition_list ~ ', ' if partition_columns else '' -%}
    {%- set over_partition = 'partition by ' ~ partition_list if partition_columns else '' -%}
    {%- set group_by_partition = 'group by ' ~ partition_list if partition_columns else '' -%}
    {%- set z = z_value(confidence) -%}
    {#- row_number orderings: the first row of each is the subgroup named (unusable rows sort last) -#}
    {%- set rankings = {
        'top_order': 'case when sg_order is null then 1 else 0 end, sg_order desc',
        'bottom_order': 'case when sg_order is null then 1 else 0 end, sg_order asc',
        'highest': 'case when sg_estimate is null then 1 else 0 end, sg_estimate desc',
        'lowest': 'case when sg_estimate is null then 1 else 0 end, sg_estimate asc',
        'highest_other': 'case when sg_estimate is null or sg_reference = 1 then 1 else 0 end, sg_estimate desc',
        'lowest_other': 'case when sg_estimate is null or sg_reference = 1 then 1 else 0 end, sg_estimate asc',
    } -%}
    {%- set picked = {
        'top_order': 'sg_order is not null',
        'bottom_order': 'sg_order is not null',
        'highest': 'sg_estimate is not null',
        'lowest': 'sg_estimate is not null',
        'highest_other': 'sg_estimate is not null and sg_reference = 0',
        'lowest_other': 'sg_estimate is not null and sg_reference = 0',
    } -%}
    with

    heat_gap_subgroups as (
        {{ heat_subgroup_frame(relation, partition_columns) }}
    ),

    heat_gap_ranked as (
        select
            *,
            {%- for name, ordering in rankings.items() %}
            row_number() over (
                {{ over_partition }} order by {{ ordering }}, sg_se asc nulls last
            ) as rank_{{ name }}{{ ',' if not loop.last }}
            {%- endfor %}
        from heat_gap_subgroups
    ),

    heat_gap_candidates as (
        select
            {{ partition_select }}
            cast(max(p_n) as integer) as n_groups,
            max(p_n_ordered) as n_ordered,
            max(p_n_reference) as n_reference,
            max(p_favourable) as favourable,
            {%- for name in rankings %}
            max(case when rank_{{ name }} = 1 and {{ picked[name] }} then sg_estimate end) as y_{{ name }},
            max(case when rank_{{ name }} = 1 and {{ picked[name] }} then sg_se end) as se_{{ name }},
            {%- endfor %}
            max(case when sg_reference = 1 then sg_estimate end) as y_reference,
            max(case when sg_reference = 1 then sg_se end) as se_reference
        from heat_gap_ranked
        {{ group_by_partition }}
    ),

    heat_gap_pairs as (
        select
            {{ partition_select }}
            n_groups,
            {%- for part in ['y', 'se'] %}
            case
                when n_groups < 2 then null
                when n_ordered = n_groups then
                    case
                        when favourable = 1 then {{ part }}_top_order
                        when favourable = 0 then {{ part }}_bottom_order
                    end
                when n_ordered > 0 then null
                when n_reference = 0 then {{ part }}_highest
                when n_reference = 1 then
                    case
                        when favourable = 1 then {{ part }}_reference
                        when favourable = 0 then {{ part }}_highest_other
                    end
            end as {{ part }}1,
            case
                when n_groups < 2 then null
                when n_ordered = n_groups then
                    case
                        when favourable = 1 then {{ part }}_bottom_order
                        when favourable = 0 then {{ part }}_top_order
                    end
                when n_ordered > 0 then null
                when n_reference = 0 then {{ part }}_lowest
                when n_reference = 1 then
                    case
                        when favourable = 1 then {{ part }}_lowest_other
                        when favourable = 0 then {{ part }}_reference
                    end
            end as {{ part }}2{{ ',' if not loop.last }}
            {%- endfor %}
        from heat_gap_candidates
    ),

    heat_gap_measures as (
        select
            {{ partition_select }}
            n_groups,
            y1 - y2 as d_estimate,
            sqrt(se1 * se1 + se2 * se2) as d_se,
            y1 / nullif(y2, 0) as r_estimate,
            case
                when y1 / nullif(y2, 0) > 0
                    then sqrt(se1 * se1 / (y2 * y2) + y1 * y1 * se2 * se2 / (y2 * y2 * y2 * y2)) / (y1 / y2)
            end as r_se
        from heat_gap_pairs
    )

    select
        {{ partition_select }}
        'd' as measure,
        d_estimate as estimate,
        d_se as se,
        d_estimate - {{ z }} * d_se as ci_lower,
        d_estimate + {{ z }} * d_se as ci_upper,
        n_groups
    from heat_gap_measures
    union all
    select
        {{ partition_select }}
        'r' as measure,
        r_estimate as estimate,
        r_se as se,
        exp(ln(case when r_se is not null then r_estimate end) - {{ z }} * r_se) as ci_lower,
        exp(ln(case when r_se is not null then r_estimate end) + {{ z }} * r_se) as ci_upper,
        n_groups
    from heat_gap_measures
{%- endmacro %}
