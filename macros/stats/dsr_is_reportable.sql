{#- SQL boolean: PHE's rule that a directly standardised rate (and its Dobson limits) is reported only when the
    group's total count O >= 10 (dsr_value, dobson_lower and dobson_upper are NULL otherwise). `total_count` is O,
    e.g. 'sum(coalesce(events, 0))' inside the group by. NULL when O is NULL. -#}
{% macro dsr_is_reportable(total_count) -%}
    {{ return(adapter.dispatch('dsr_is_reportable', 'equity_qi')(total_count)) }}
{%- endmacro %}


{% macro default__dsr_is_reportable(total_count) -%}
    (({{ total_count }}) >= 10)
{%- endmacro %}
