-- Each QOF year end (31 March) the extract covers, one row per date: from the first 31 March on or after the
-- manifest's period.start to the last on or before period.end (an extract without a period falls back to the
-- extract date). Listed at compile time from manifest.json, so the SQL is plain literals on every engine.
{%- set year_ends = [] -%}
{%- if execute -%}
    {%- set period = discovery_extract_manifest().get('period') or {} -%}
    {%- set last_day = (period.get('end') or discovery_extract_manifest().get('extract_timestamp', ''))[:10] -%}
    {%- set first_day = (period.get('start') or last_day)[:10] -%}
    {%- for year in range(first_day[:4] | int, (last_day[:4] | int) + 1) -%}
        {%- set year_end = '%04d-03-31' % year -%}
        {%- if first_day <= year_end <= last_day -%}
            {%- do year_ends.append(year_end) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}
with

year_ends as (

    {% for year_end in year_ends -%}
        select cast('{{ year_end }}' as date) as year_end_date
        {% if not loop.last %}union all{% endif %}
    {% else -%}
        select cast(null as date) as year_end_date
        where 1 = 0
    {%- endfor %}

)

select * from year_ends
