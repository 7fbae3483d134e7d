{#- A select of (dimension, stratum, parent_dimension, parent_stratum): each stratum of a breakdown that is part of a
    stratum of a coarser one, for the strata (dimension, stratum) found in `relation`, spelled as macro
    breakdown_stratum spells them. IMD deciles 2q-1 and 2q make quintile q; the 16 NHS ethnic categories make
    their group of 5 (seed ref_nhs_ethnic_category; 'Not recorded' stays itself); quintile 1 is Core20 and
    quintiles 2-5 are Not Core20; 'q | group' of imd_quintile_x_ethnicity_group_5 is part of quintile q and of the
    group. Unknown is part of Unknown. Disclosure control reads these as additive groups (pub_indicator_rates). -#}
{% macro nested_breakdown_strata(relation) %}
    with

    strata as (
        select distinct
            dimension,
            stratum
        from {{ relation }}
    ),

    ethnic_groups as (
        select
            nhs16_label,
            ethnicity_group_5
        from {{ ref('ref_nhs_ethnic_category') }}
    ),

    nested as (
        select
            dimension,
            stratum,
            'imd_quintile' as parent_dimension,
            case
                when stratum = 'Unknown' then 'Unknown'
                else cast(cast(floor((cast(stratum as {{ dbt.type_int() }}) + 1) / 2.0) as {{ dbt.type_int() }})
                    as {{ dbt.type_string() }})
            end as parent_stratum
        from strata
        where dimension = 'imd_decile'
        union all
        select
            strata.dimension,
            strata.stratum,
            'ethnicity_group_5' as parent_dimension,
            coalesce(ethnic_groups.ethnicity_group_5, strata.stratum) as parent_stratum
        from strata
        left join ethnic_groups
            on strata.stratum = ethnic_groups.nhs16_label
        where strata.dimension = 'ethnicity_group_16'
        union all
        select
            dimension,
            stratum,
            'core20' as parent_dimension,
            case stratum when '1' then 'Core20' when 'Unknown' then 'Unknown' else 'Not Core20' end as parent_stratum
        from strata
        where dimension = 'imd_quintile'
        union all
        select
            dimension,
            stratum,
            'imd_quintile' as parent_dimension,
            {{ dbt.split_part('stratum', "' | '", 1) }} as parent_stratum
        from strata
        where dimension = 'imd_quintile_x_ethnicity_group_5'
        union all
        select
            dimension,
            stratum,
            'ethnicity_group_5' as parent_dimension,
            {{ dbt.split_part('stratum', "' | '", 2) }} as parent_stratum
        from strata
        where dimension = 'imd_quintile_x_ethnicity_group_5'
    )

    select * from nested
{% endmacro %}
