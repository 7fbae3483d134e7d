{#- SQL boolean: the period of `periods` (an alias of a relation with columns period_start and period_end, such as
    int_registrations__gms_registration_periods or int_demographics__address_periods) covers the date expression
    `on_date`: period_start <= on_date < period_end, with period_end NULL while the period is open. The one spelling
    of "the period a person was in on date D", so registrations and addresses are looked up alike everywhere. -#}
{% macro period_covers(periods, on_date) -%}
    ({{ periods }}.period_start <= {{ on_date }}
    and ({{ periods }}.period_end is null or {{ periods }}.period_end > {{ on_date }}))
{%- endmacro %}
