{#- The QOF year ends (31 March, 'YYYY-MM-DD' strings) inside the extract's period: from the manifest's period.start
    to period.end (without a period, the extract date). An empty list at parse time (no database to read the
    manifest from). -#}
{% macro discovery_extract_year_ends() %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set manifest = discovery_extract_manifest() -%}
    {%- set period = manifest.get('period') or {} -%}
    {%- set last_day = (period.get('end') or manifest.get('extract_timestamp') or '')[:10] -%}
    {%- set first_day = (period.get('start') or last_day)[:10] -%}
    {%- set year_ends = [] -%}
    {%- for year in range(first_day[:4] | int, (last_day[:4] | int) + 1) -%}
        {%- set year_end = '%04d-03-31' % year -%}
        {%- if first_day <= year_end <= last_day -%}
            {%- do year_ends.append(year_end) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(year_ends) }}
{% endmacro %}
