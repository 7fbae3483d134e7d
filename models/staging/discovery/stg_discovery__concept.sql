-- Discovery concept, one row per dbid. A delete row (is_delete, only the key filled) removes itself and every row
-- with its dbid, and exact duplicate rows are collapsed; stg_discovery__removed_rows lists the rows that go, and
-- fct_dq_reconciliation checks that nothing else is lost. No row-level rule applies (no dq_reason). Conflicting
-- versions of a record are not resolved (the dbid tests catch them).
-- Decoded here, once, for every model that reads codes: code_scheme (the concept's coding scheme in the codelist
-- seeds' vocabulary: snomed, dmd, readv2, ctv3, emis_local, tpp_local; discovery and fhir for Information Model
-- concepts) and mapped_core_concept_id, the core (SNOMED / dm+d) concept a legacy concept maps to today: the
-- concept_map row not marked deleted with the latest updated time (ties: the higher map id).
with

staged_rows as (

    {{ discovery_staged_rows(source('discovery', 'concept'), key='dbid') }}

),

typed_rows as (

    select
        cast(dbid as {{ dbt.type_int() }}) as dbid,
        cast(document as {{ dbt.type_int() }}) as document,
        cast(id as {{ dbt.type_string() }}) as id,
        cast(draft as {{ dbt.type_boolean() }}) as draft,
        cast(name as {{ dbt.type_string() }}) as name,
        cast(description as {{ dbt.type_string() }}) as description,
        cast(scheme as {{ dbt.type_bigint() }}) as scheme,
        cast(code as {{ dbt.type_string() }}) as code,
        cast(use_count as {{ dbt.type_int() }}) as use_count,
        cast(updated as {{ dbt.type_timestamp() }}) as updated
    from staged_rows

),

scheme_concepts as (

    select
        cast(dbid as {{ dbt.type_bigint() }}) as scheme,
        cast(code as {{ dbt.type_string() }}) as scheme_code
    from typed_rows

),

ranked_current_maps as (

    select
        legacy,
        core,
        row_number() over (partition by legacy order by updated desc, id desc) as map_rank
    from {{ ref('stg_discovery__concept_map') }}
    where not coalesce(deleted, false)

),

decoded_concepts as (

    select
        typed_rows.*,
        ranked_current_maps.core as mapped_core_concept_id,
        case scheme_concepts.scheme_code
            when 'SNOMED' then 'snomed'
            when 'DM+D' then 'dmd'
            when 'READ2' then 'readv2'
            when 'CTV3' then 'ctv3'
            when 'EMIS_LOCAL' then 'emis_local'
            when 'TPP_LOCAL' then 'tpp_local'
            when 'CM_DiscoveryCode' then 'discovery'
            when 'FHIR' then 'fhir'
        end as code_scheme
    from typed_rows
    left join scheme_concepts
        on typed_rows.scheme = scheme_concepts.scheme
    left join ranked_current_maps
        on
            typed_rows.dbid = ranked_current_maps.legacy
            and ranked_current_maps.map_rank = 1

)

select * from decoded_concepts
