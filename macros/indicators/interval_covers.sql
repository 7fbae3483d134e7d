{#- SQL boolean: the validity interval of `intervals` (an alias of a select made by macro validity_intervals) covers the
    date expression `on_date`: valid_from <= on_date < valid_to, with valid_to NULL open-ended. -#}
{% macro interval_covers(intervals, on_date) -%}
    ({{ intervals }}.valid_from <= {{ on_date }}
    and ({{ intervals }}.valid_to is null or {{ on_date }} < {{ intervals }}.valid_to))
{%- endmacro %}
