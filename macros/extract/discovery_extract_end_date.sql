{#- The last day the Discovery extract covers, as a SQL date literal: the manifest's period.end, else the date of
    its extract_timestamp. Unlike as_of_date() it ignores var('as_of_date'): data-quality rules such as "dated
    after the extract" must not move with the reporting date. At parse time (no database) it renders current_date. -#}
{% macro discovery_extract_end_date() %}
    {{ return(adapter.dispatch('discovery_extract_end_date', 'equity_qi')()) }}
{% endmacro %}


{% macro default__discovery_extract_end_date() %}
    {%- if not execute -%}
        {{ return('current_date') }}  {#- parse time only: no database to read the manifest from -#}
    {%- endif -%}
    {%- set manifest = discovery_extract_manifest() -%}
    {%- set value = (manifest.get('period') or {}).get('end') or (manifest.get('extract_timestamp') or '')[:10] -%}
    {%- set value = value | string | trim -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', value) -%}
        {{ exceptions.raise_compiler_error(
            "manifest.json: period.end or extract_timestamp must give a date 'YYYY-MM-DD', got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as date)") }}
{% endmacro %}
