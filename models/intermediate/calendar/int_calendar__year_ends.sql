-- Each QOF year end (31 March) the extract covers, one row per date (macro discovery_extract_year_ends lists them
-- from manifest.json at compile time, so the SQL is plain literals on every engine). No row when the period holds
-- no 31 March.
{% set year_ends = discovery_extract_year_ends() %}
with

year_ends as (

    select cast(null as date) as year_end_date
    where 1 = 0
    {% for year_end in year_ends %}
        union all
        select cast('{{ year_end }}' as date) as year_end_date
    {% endfor %}

)

select * from year_ends
