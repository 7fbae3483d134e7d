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
    where
        {{ dq_row_is_usable('observations.dq_reason') }}
        and not exists (
            select 1
            from {{ ref('int_data_quality__observation_checks') }} as checks
            where
                checks.observation_id = observations.id
                and not {{ dq_row_is_usable('checks.dq_reason') }}
        )
{% endmacro %}
