{#- A select of every row of `relation` with valid_from / valid_to added: the half-open interval of dates on which
    the row is a person's latest one, [its date, the next row's date), cut at `window_months` after its date when
    given ("latest within the last N months"). Rows are ordered within `partition_by` by `date_column`, then by
    `tiebreak_column` (ties: the higher value wins; the others get an empty interval). Joined to person-dates with
    macro interval_covers, this answers "the latest record on or before D (within N months)" with one equi-join on the
    person and a range filter, instead of joining every record to every later date. valid_to NULL = open. -#}
{% macro validity_intervals(relation, partition_by, date_column, tiebreak_column, window_months=none) %}
    select
        intervals_source.*,
        intervals_source.{{ date_column }} as valid_from,
        {%- set next_date -%}
            lead(intervals_source.{{ date_column }}) over (
                partition by intervals_source.{{ partition_by }}
                order by intervals_source.{{ date_column }}, intervals_source.{{ tiebreak_column }}
            )
        {%- endset %}
        {% if window_months is none -%}
            {{ next_date }} as valid_to
        {%- else -%}
            case
                when {{ next_date }} is null
                    or {{ next_date }}
                    > cast({{ dbt.dateadd('month', window_months, 'intervals_source.' ~ date_column) }} as date)
                    then cast({{ dbt.dateadd('month', window_months, 'intervals_source.' ~ date_column) }} as date)
                else {{ next_date }}
            end as valid_to
        {%- endif %}
    from {{ relation }} as intervals_source
{% endmacro %}
