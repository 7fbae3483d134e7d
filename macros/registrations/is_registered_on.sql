{#- SQL boolean: the registration period `periods` (an alias of int_registrations__gms_registration_periods) covers
    the date expression `on_date`: period_start <= on_date < period_end (an open period has period_end NULL; macro
    period_covers). Join it to a set of dates to get "registered at date D" for many dates at once. -#}
{% macro is_registered_on(periods, on_date) -%}
    {{ period_covers(periods, on_date) }}
{%- endmacro %}
