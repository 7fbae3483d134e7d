-- Every raw Discovery row that did not pass cleanly, with what happened to it: removed by staging (deleted,
-- duplicate_removed; stg_discovery__removed_rows), or kept in staging with a dq_reason (quarantined, corrected,
-- flagged), including the rules that need other rows (int_data_quality__*_checks). One row per raw row and rule
-- it met; the rule catalogue (macro dq_rules) gives each rule's action.
{%- set checked_staging_tables = ['observation', 'patient_address', 'episode_of_care', 'patient', 'person'] %}

with

removed_rows as (

    select
        source_table,
        record_key,
        organization_id,
        rule
    from {{ ref('stg_discovery__removed_rows') }}

),
{% for table_name in checked_staging_tables %}
staged_{{ table_name }}_rows_with_reason as (

    select
        '{{ table_name }}' as source_table,
        cast(id as {{ dbt.type_string() }}) as record_key,
        organization_id,
        dq_reason as rule
    from {{ ref('stg_discovery__' ~ table_name) }}
    where dq_reason is not null

),
{% endfor %}
observation_check_failures as (

    select
        'observation' as source_table,
        cast(observation_id as {{ dbt.type_string() }}) as record_key,
        organization_id,
        dq_reason as rule
    from {{ ref('int_data_quality__observation_checks') }}

),

episode_of_care_check_failures as (

    select
        'episode_of_care' as source_table,
        cast(episode_of_care_id as {{ dbt.type_string() }}) as record_key,
        organization_id,
        dq_reason as rule
    from {{ ref('int_data_quality__episode_of_care_checks') }}

),

rule_hits as (

    select * from removed_rows
    {%- for table_name in checked_staging_tables %}
    union all
    select * from staged_{{ table_name }}_rows_with_reason
    {%- endfor %}
    union all
    select * from observation_check_failures
    union all
    select * from episode_of_care_check_failures

),

dq_rules as (
    {%- for dq_rule in dq_rules() %}

    select
        '{{ dq_rule.rule }}' as rule,
        '{{ dq_rule.action }}' as action
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

row_outcomes as (

    select
        cast(rule_hits.source_table as {{ dbt.type_string() }}) as source_table,
        cast(rule_hits.record_key as {{ dbt.type_string() }}) as record_key,
        cast(rule_hits.rule as {{ dbt.type_string() }}) as rule,
        cast(row_number() over (
            partition by rule_hits.source_table, rule_hits.record_key, rule_hits.rule
            order by rule_hits.organization_id
        ) as {{ dbt.type_int() }}) as rule_occurrence,
        cast(dq_rules.action as {{ dbt.type_string() }}) as action,
        cast(rule_hits.organization_id as {{ dbt.type_bigint() }}) as organization_id
    from rule_hits
    left join dq_rules
        on rule_hits.rule = dq_rules.rule

)

select * from row_outcomes
