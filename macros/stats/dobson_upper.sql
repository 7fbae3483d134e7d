{#- SQL double: Dobson upper confidence limit of a directly standardised rate, unscaled like `dsr` (multiply by the
    multiplier outside), as PHE calculate_dsr: dsr + sqrt(variance / O) * (byar_upper(O) - O), where `dsr` and
    `variance` are dsr_value and dsr_variance of the group and O = `total_count` its total events (Byar's limit always,
    no exact switch). NULL when O < 10 (PHE's rule) or any input is NULL. Scalar: the arguments may themselves be
    the aggregate expressions, e.g. dobson_upper(dsr_value(...), dsr_variance(...), 'sum(coalesce(events, 0))'). -#}
{% macro dobson_upper(dsr, variance, total_count, confidence=0.95) -%}
    {{ return(adapter.dispatch('dobson_upper', 'equity_qi')(dsr, variance, total_count, confidence)) }}
{%- endmacro %}


{% macro default__dobson_upper(dsr, variance, total_count, confidence=0.95) -%}
    {%- set o = '(case when (' ~ total_count ~ ') >= 10 then cast(' ~ total_count ~ ' as double) end)' -%}
    (
        cast({{ dsr }} as double)
        + sqrt(cast({{ variance }} as double) / {{ o }}) * ({{ byar_upper(o, confidence) }} - {{ o }})
    )
{%- endmacro %}
