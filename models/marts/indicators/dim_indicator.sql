-- One row per indicator the warehouse computes, from the indicator registry (seed ref_indicators), with the versions
-- of the codelists it uses ('codelist_id@version', from seed ref_codelists) so a published rate can be traced to the
-- exact codes behind it.
with

registry as (

    select * from {{ ref('ref_indicators') }}

),

codelists as (

    select
        codelist_id,
        codelist_version
    from {{ ref('ref_codelists') }}

),

indicator_codelists as (

    select
        registry.indicator_id,
        {{ dbt.listagg(
            dbt.concat(['codelists.codelist_id', "'@'", 'codelists.codelist_version']),
            "'; '",
            'order by codelists.codelist_id'
        ) }} as codelist_versions,
        count(*) as n_codelists
    from registry
    inner join codelists
        on {{ dbt.position(
            dbt.concat(["';'", 'codelists.codelist_id', "';'"]),
            dbt.concat(["';'", 'registry.codelist_ids', "';'"])
        ) }} > 0
    group by registry.indicator_id

),

indicators as (

    select
        cast(registry.indicator_id as {{ dbt.type_string() }}) as indicator_id,
        cast(registry.title as {{ dbt.type_string() }}) as indicator_name,
        cast(registry.clinical_area as {{ dbt.type_string() }}) as clinical_area,
        cast(registry.value_type as {{ dbt.type_string() }}) as value_type,
        cast(registry.unit as {{ dbt.type_string() }}) as unit,
        cast(registry.polarity as {{ dbt.type_string() }}) as polarity,
        cast(registry.frequency as {{ dbt.type_string() }}) as frequency,
        cast(registry.equivalence_margin as {{ type_double() }}) as equivalence_margin,
        cast(registry.standard as {{ dbt.type_string() }}) as standard,
        cast(registry.denominator_rule as {{ dbt.type_string() }}) as denominator_rule,
        cast(registry.numerator_rule as {{ dbt.type_string() }}) as numerator_rule,
        cast(registry.exclusion_rules as {{ dbt.type_string() }}) as exclusion_rules,
        cast(indicator_codelists.codelist_versions as {{ dbt.type_string() }}) as codelist_versions,
        cast(indicator_codelists.n_codelists as {{ dbt.type_int() }}) as n_codelists,
        cast(registry.sort_order as {{ dbt.type_int() }}) as sort_order
    from registry
    left join indicator_codelists
        on registry.indicator_id = indicator_codelists.indicator_id

)

select * from indicators
