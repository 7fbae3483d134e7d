-- QI projects, typed: from seed qi_projects, or from the extract's qi_projects.csv when var qi_projects_from is
-- 'extract'. Practice lists stay as '|'-separated text here (int_qi__project_practices splits them); an empty
-- comparison list becomes NULL (comparison practices are then matched). practice_start_dates is optional in the seed
-- (a team's older file without it stays valid; register_qi_projects_file adds it to the extract's file).
{%- set optional_columns = [] %}
{%- if execute and var('qi_projects_from') != 'extract' %}
    {%- for column in adapter.get_columns_in_relation(ref('qi_projects')) %}
        {%- do optional_columns.append(column.name | lower) %}
    {%- endfor %}
{%- endif %}
with

projects as (

    {% if var('qi_projects_from') == 'extract' -%}
    select * from {{ source('qi', 'qi_projects') }}
    {%- else -%}
    select * from {{ ref('qi_projects') }}
    {%- endif %}

)

select
    cast(project_id as {{ dbt.type_string() }}) as project_id,
    cast(title as {{ dbt.type_string() }}) as title,
    cast(indicator as {{ dbt.type_string() }}) as indicator_id,
    cast(nullif(trim(practice_codes), '') as {{ dbt.type_string() }}) as practice_codes,
    cast(nullif(trim(comparison_practice_codes), '') as {{ dbt.type_string() }}) as comparison_practice_codes,
    cast(start_date as date) as start_date,
    cast(end_date as date) as end_date,
    {%- if var('qi_projects_from') == 'extract' or 'practice_start_dates' in optional_columns %}
    cast(nullif(trim(practice_start_dates), '') as {{ dbt.type_string() }}) as practice_start_dates
    {%- else %}
    cast(null as {{ dbt.type_string() }}) as practice_start_dates
    {%- endif %}
from projects
