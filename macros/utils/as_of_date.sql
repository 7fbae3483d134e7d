{#- The reporting date of point-in-time models as a SQL date literal: var('as_of_date') ('YYYY-MM-DD'), or by
    default the last day the extract covers (discovery_extract_end_date(): manifest.json period.end, else the date
    of its extract_timestamp), so a rebuild of the same extract always reports the same date. -#}
{% macro as_of_date() %}
    {{ return(adapter.dispatch('as_of_date', 'equity_qi')()) }}
{% endmacro %}


{% macro default__as_of_date() %}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or (value | string | trim) == '' -%}
        {{ return(discovery_extract_end_date()) }}
    {%- endif -%}
    {%- set value = value | string | trim -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', value) -%}
        {{ exceptions.raise_compiler_error("var as_of_date must be a date 'YYYY-MM-DD', got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as date)") }}
{% endmacro %}
