{#- Every month end ('YYYY-MM-DD' strings, oldest first) inside the extract's period: from the manifest's
    period.start to period.end (without a period, the extract date's month). An empty list at parse time. -#}
{% macro discovery_extract_month_ends() %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set manifest = discovery_extract_manifest() -%}
    {%- set period = manifest.get('period') or {} -%}
    {%- set last_day = (period.get('end') or manifest.get('extract_timestamp') or '')[:10] -%}
    {%- set first_day = (period.get('start') or last_day)[:10] -%}
    {%- set month_ends = [] -%}
    {%- for year in range(first_day[:4] | int, (last_day[:4] | int) + 1) -%}
        {%- for month in range(1, 13) -%}
            {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
            {%- set days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] -%}
            {%- set month_end = '%04d-%02d-%02d' % (year, month, days) -%}
            {%- if first_day <= month_end <= last_day -%}
                {%- do month_ends.append(month_end) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(month_ends) }}
{% endmacro %}
