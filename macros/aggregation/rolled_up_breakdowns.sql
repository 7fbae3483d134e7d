{#- A select of sums of `measures` over `relation` for every geography (practice, pcn, borough, icb) and every
    breakdown of `dimensions`: one row per (`keys`..., geography_level, geography_code, dimension, stratum). The
    breakdowns are summed at practice level in one scan (macro stratified_sums over `relation`, which has the
    `keys`, practice_code, a stratum_<dimension> column per breakdown and the `measures`), then the practice rows
    roll up to PCN, borough and ICB (macro geography_rollup), taking each practice's areas from `practices` (a
    relation or CTE with practice_code, pcn_code, borough_code, icb_code). Sums add up exactly at every level. -#}
{% macro rolled_up_breakdowns(relation, keys, dimensions, measures, practices) %}
    {%- set columns = keys + ['geography_level', 'geography_code', 'dimension', 'stratum'] + measures %}
    with

    practice_strata as (
        {{ stratified_sums(relation, keys, ['practice'], dimensions, measures) }}
    ),

    practice_strata_in_areas as (
        select
            practice_strata.*,
            practice_areas.pcn_code,
            practice_areas.borough_code,
            practice_areas.icb_code
        from practice_strata
        left join {{ practices }} as practice_areas
            on practice_strata.geography_code = practice_areas.practice_code
    ),

    area_strata as (
        {{ geography_rollup('practice_strata_in_areas', keys + ['dimension', 'stratum'], ['pcn', 'borough', 'icb'],
            measures) }}
    )

    select {{ columns | join(', ') }} from practice_strata
    union all
    select {{ columns | join(', ') }} from area_strata
{% endmacro %}
