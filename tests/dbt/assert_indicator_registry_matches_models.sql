-- The indicator registry (seed ref_indicators) and the indicators the warehouse computes (macro indicator_ids, whose
-- component models int_indicators__patient_outcomes unions) name the same indicators: a row per id in only one.
with

registry as (

    select indicator_id from {{ ref('ref_indicators') }}

),

computed as (

    select cast(null as {{ dbt.type_string() }}) as indicator_id
    where 1 = 0
    {% for indicator in indicator_ids() %}
    union all
    select '{{ indicator | upper }}' as indicator_id
    {% endfor %}

)

select
    coalesce(registry.indicator_id, computed.indicator_id) as indicator_id,
    case when registry.indicator_id is null then 'not_in_registry' else 'no_models' end as problem
from registry
full outer join computed
    on registry.indicator_id = computed.indicator_id
where registry.indicator_id is null or computed.indicator_id is null
