{#- SQL date: the first date on which an event dated `event_date` is no longer within the `months` months before the
    date (QOF's "in the last N months": event date > date - N months, the engine clipping a month end that does not
    exist to the month's last day): N months after the event, or the day after that when that month has no such day
    (an event on 31 August is within the 6 months before 28 February, so its window ends on 1 March). -#}
{% macro months_window_end(event_date, months) -%}
    {%- set shifted = 'cast(' ~ dbt.dateadd('month', months, event_date) ~ ' as date)' -%}
    case
        when extract(day from {{ shifted }}) < extract(day from {{ event_date }})
            then cast({{ dbt.dateadd('day', 1, shifted) }} as date)
        else {{ shifted }}
    end
{%- endmacro %}
