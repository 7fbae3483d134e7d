{#- A select of the staged observations every downstream model may use, with the listed columns: the staging
    dq_reason leaves the row usable (dq_row_is_usable: no reason, or a corrected or flagged one) and no cross-row
    check in int_data_quality__observation_checks quarantines it (before_birth, after_death; orphan_diastolic is
    only flagged). The one definition of "usable observation" for int_clinical__coded_events and
    int_demographics__ethnicity_records. -#}
{% macro dq_usable_observations(columns) %}
    select
        {%- for column in columns %}
        observations.{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_discovery__observation') }} as observations
    {#- an anti-join on the few quarantined ids, not a correlated "not exists", which DuckDB decorrelates through
        the distinct ids of every observation #}
    left join (
        select distinct checks.observation_id
        from {{ ref('int_data_quality__observation_checks') }} as checks
        where not {{ dq_row_is_usable('checks.dq_reason') }}
    ) as quarantined
        on observations.id = quarantined.observation_id
    where
        {{ dq_row_is_usable('observations.dq_reason') }}
        and quarantined.observation_id is null
{% endmacro %}
