{#- A select of a QOF-style disease register as validity intervals, one row per (person, date with a diagnosis or
    resolved code): from each such date until the next one, the person's register state — on the register when they
    have a `diagnosis_codelist` code and their latest one is later than their latest `resolved_codelist` code (a
    resolved code on the same day as the latest diagnosis takes them off, as OpenSAFELY's QOF rules do).
    first_diagnosis_date is the earliest diagnosis code so far (QOF's "diagnosed in the last 9 months" rules). Reads
    int_clinical__coded_events; join with macro interval_covers. -#}
{% macro qof_register_intervals(diagnosis_codelist, resolved_codelist) %}
with

    register_events as (

        select
            person_id,
            clinical_effective_date as event_date,
            max(case when codelist_id = '{{ diagnosis_codelist }}' then 1 else 0 end) as has_diagnosis,
            max(case when codelist_id = '{{ resolved_codelist }}' then 1 else 0 end) as has_resolution
        from {{ ref('int_clinical__coded_events') }}
        where codelist_id in ('{{ diagnosis_codelist }}', '{{ resolved_codelist }}')
        group by person_id, clinical_effective_date

    ),

    register_states as (

        select
            person_id,
            event_date,
            min(case when has_diagnosis = 1 then event_date end) over (
                partition by person_id order by event_date rows between unbounded preceding and current row
            ) as first_diagnosis_date,
            max(case when has_diagnosis = 1 then event_date end) over (
                partition by person_id order by event_date rows between unbounded preceding and current row
            ) as latest_diagnosis_date,
            max(case when has_resolution = 1 then event_date end) over (
                partition by person_id order by event_date rows between unbounded preceding and current row
            ) as latest_resolved_date
        from register_events

    ),

    register_intervals as (

        {{ validity_intervals('register_states', 'person_id', 'event_date', 'event_date') }}

    )

    select
        person_id,
        valid_from,
        valid_to,
        first_diagnosis_date,
        latest_diagnosis_date,
        latest_resolved_date,
        coalesce(
            latest_diagnosis_date is not null
            and (latest_resolved_date is null or latest_resolved_date < latest_diagnosis_date),
            false
        ) as is_on_register
    from register_intervals
{% endmacro %}
