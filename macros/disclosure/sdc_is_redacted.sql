{#- SQL boolean: `count` (a person count) is small enough to be redacted, 1 to var('sdc_redact_max') (7:
    OpenSAFELY's rule). Zero is not redacted: no one is disclosed by it. NULL stays NULL. -#}
{% macro sdc_is_redacted(count) -%}
    {{ return(adapter.dispatch('sdc_is_redacted', 'equity_qi')(count)) }}
{%- endmacro %}


{% macro default__sdc_is_redacted(count) -%}
    ({{ count }} between 1 and {{ var('sdc_redact_max') }})
{%- endmacro %}
