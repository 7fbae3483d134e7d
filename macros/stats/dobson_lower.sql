{#- SQL double: Dobson lower confidence limit of a directly standardised rate, unscaled like `dsr` (multiply by the
    multiplier outside), as PHE calculate_dsr: dsr + sqrt(variance / O) * (byar_lower(O) - O), where `dsr` and
    `variance` are dsr_value and dsr_variance of the group and O = `total_count` its total events (Byar's limit always,
    no exact switch). NULL when O < 10 (PHE's rule) or any input is NULL. Scalar: the arguments may themselves be
    the aggregate expressions, e.g. dobson_lower(dsr_value(...), dsr_variance(...), 'sum(coalesce(events, 0))'). -#}
{% macro dobson_lower(dsr, variance, total_count, confidence=0.95) -%}
    {{ return(adapter.dispatch('dobson_lower', 'equity_qi')(dsr, variance, total_count, confidence)) }}
{%- endmacro %}


{% macro default__dobson_lower(dsr, variance, total_count, confidence=0.95) -%}
    {%- set o = '(case when (' ~ total_count ~ ') >= 10 then cast(' ~ total_count ~ ' as double) end)' -%}
    (
        cast({{ dsr }} as double)
        + sqrt(cast({{ variance }} as double) / {{ o }}) * ({{ byar_lower(o, confidence) }} - {{ o }})
    )
{%- endmacro %}
