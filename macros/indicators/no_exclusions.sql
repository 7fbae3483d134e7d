{#- A select with the columns of macro exclusion_events and no rows: the exclusions model of an indicator whose
    standard has no exclusions (registers, prevalence, case finding). -#}
{% macro no_exclusions() %}
    select
        cast(null as {{ dbt.type_bigint() }}) as person_id,
        cast(null as date) as period_end,
        cast(null as {{ dbt.type_string() }}) as exclusion_reason,
        cast(null as {{ dbt.type_int() }}) as exclusion_priority,
        cast(null as boolean) as excludes_achievers
    where 1 = 0
{% endmacro %}
