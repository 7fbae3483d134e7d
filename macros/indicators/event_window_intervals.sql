{#- A select of status intervals (person_id, valid_from, valid_to) on which a person has an event of `relation` (a
    relation, CTE or parenthesised select with columns person_id and `date_column`) on or before the date and, when
    `window_months` is given, within the `window_months` months before it (macro months_window_end). Disjoint per
    person: from each event day to the next event day or the end of its window, whichever comes first; without a
    window, from the first event on (valid_to NULL = open). Joined to person-dates with macro interval_covers, it
    answers "an event in the last N months" with one equi-join on the person. -#}
{% macro event_window_intervals(relation, date_column, window_months=none) %}
with

    event_days as (

        select distinct
            events_source.person_id,
            events_source.{{ date_column }} as event_date
        from {{ relation }} as events_source

    ){{ ',' if window_months is not none }}

    {%- if window_months is not none %}

    event_windows as (

        select
            person_id,
            event_date,
            lead(event_date) over (partition by person_id order by event_date) as next_event_date,
            {{ months_window_end('event_date', window_months) }} as window_end
        from event_days

    )

    select
        person_id,
        event_date as valid_from,
        case
            when next_event_date is null or next_event_date > window_end then window_end else next_event_date
        end as valid_to
    from event_windows
    {%- else %}

    select
        person_id,
        min(event_date) as valid_from,
        cast(null as date) as valid_to
    from event_days
    group by person_id
    {%- endif %}
{% endmacro %}
