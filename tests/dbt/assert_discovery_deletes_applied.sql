-- No staged Discovery record has a key that the extract deletes: an is_delete row removes every record with its
-- key (id; dbid for concept). Returns the offending staged records, one per table and key.
{%- set discovery_keys = {
    'organization': 'id',
    'person': 'id',
    'patient': 'id',
    'patient_pseudo_id': 'id',
    'episode_of_care': 'id',
    'patient_address': 'id',
    'observation': 'id',
    'medication_statement': 'id',
    'concept': 'dbid',
    'concept_map': 'id',
} %}
{%- for table_name, key in discovery_keys.items() %}

select distinct
    '{{ table_name }}' as source_table,
    staged.{{ key }} as record_key
from {{ ref('stg_discovery__' ~ table_name) }} as staged
inner join {{ source('discovery', table_name) }} as delete_rows
    on staged.{{ key }} = delete_rows.{{ key }}
where delete_rows.is_delete
{%- if not loop.last %}

union all
{%- endif %}
{%- endfor %}
