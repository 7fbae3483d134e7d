{#- SELECT (a building block of the WHO HEAT measure macros in this folder, not a measure itself): one row per row of
    `relation` (the subgroup contract of macros/inequality), with the partition columns and
      sg_order, sg_estimate, sg_se, sg_population (double), sg_favourable (1 / 0), sg_scale (double),
      sg_reference (1 / 0): the row's values, all NULL when the subgroup is not usable (NULL estimate or
      population NULL or <= 0), so that every aggregate and window over them ignores it;
      sg_share = sg_population / the partition's total population;
    and the partition's window aggregates over its usable subgroups:
      p_n (count), p_population (sum of population), p_mean (mu = population-weighted mean of the estimates: never a
      supplied setting average), p_n_se (count with an se), p_n_ordered (count with a subgroup_order),
      p_n_reference (count with is_reference true), p_favourable (1 / 0 when is_favourable is the same on every
      usable row, else NULL) and p_scale (indicator_scale likewise).
    Keeping the unusable rows (with NULL values) rather than filtering them out gives every partition of the relation
    its output rows (n_groups = 0) in the measure macros. `partition_by`: a column name or a list of them (none or []
    for the whole relation); the partition columns must not be named like the contract's columns. -#}
{% macro heat_subgroup_frame(relation, partition_by) -%}
    {{ return(adapter.dispatch('heat_subgroup_frame', 'equity_qi')(relation, partition_by)) }}
{%- endmacro %}


{% macro default__heat_subgroup_frame(relation, partition_by) -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_list = partition_columns | join(', ') -%}
    {%- set partition_select = partition_list ~ ', ' if partition_columns else '' -%}
    {%- set window = '(partition by ' ~ partition_list ~ ')' if partition_columns else '()' -%}
    {%- set usable = 'estimate is not null and population > 0' -%}
    select
        {{ partition_select }}
        sg_order,
        sg_estimate,
        sg_se,
        sg_population,
        sg_favourable,
        sg_scale,
        sg_reference,
        sg_population / nullif(sum(sg_population) over {{ window }}, 0) as sg_share,
        count(sg_estimate) over {{ window }} as p_n,
        sum(sg_population) over {{ window }} as p_population,
        sum(sg_population * sg_estimate) over {{ window }}
            / nullif(sum(sg_population) over {{ window }}, 0) as p_mean,
        count(sg_se) over {{ window }} as p_n_se,
        count(sg_order) over {{ window }} as p_n_ordered,
        sum(sg_reference) over {{ window }} as p_n_reference,
        case
            when min(sg_favourable) over {{ window }} = max(sg_favourable) over {{ window }}
                then max(sg_favourable) over {{ window }}
        end as p_favourable,
        case
            when min(sg_scale) over {{ window }} = max(sg_scale) over {{ window }}
                then max(sg_scale) over {{ window }}
        end as p_scale
    from (
        select
            {{ partition_select }}
            case when {{ usable }} then cast(subgroup_order as double) end as sg_order,
            case when {{ usable }} then cast(estimate as double) end as sg_estimate,
            case when {{ usable }} then cast(se as double) end as sg_se,
            case when {{ usable }} then cast(population as double) end as sg_population,
            case
                when {{ usable }}
                    then case when is_favourable then 1 when not is_favourable then 0 end
            end as sg_favourable,
            case when {{ usable }} then cast(indicator_scale as double) end as sg_scale,
            case when {{ usable }} then case when is_reference then 1 else 0 end end as sg_reference
        from {{ relation }}
    ) as heat_subgroup_rows
{%- endmacro %}
