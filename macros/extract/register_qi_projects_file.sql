{#- on-run-start hook: expose qi_projects.csv of the extract folder ($EQUITY_QI_EXTRACT_DIR; the generator writes
    one with its planted projects) as the view raw_qi.qi_projects (source qi), all columns text, after checking its
    header; an extract without the file gets an empty view (no projects). stg_qi__projects reads it when var
    qi_projects_from is 'extract' (the default), the seed qi_projects when it is 'seed'. Runs the statements itself
    and returns no SQL. -#}
{% macro register_qi_projects_file() %}
    {{ return(adapter.dispatch('register_qi_projects_file', 'equity_qi')()) }}
{% endmacro %}


{% macro default__register_qi_projects_file() %}
    {%- if execute and flags.WHICH != 'seed' -%}
        {{ exceptions.raise_compiler_error(
            "register_qi_projects_file is not implemented for adapter '" ~ adapter.type() ~ "': load the projects"
            ~ " with the seed qi_projects (var qi_projects_from: seed)"
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}


{% macro duckdb__register_qi_projects_file() %}
    {%- set source_of_projects = var('qi_projects_from') -%}
    {%- if source_of_projects not in ['seed', 'extract'] -%}
        {{ exceptions.raise_compiler_error("var qi_projects_from must be 'seed' or 'extract', got '" ~ source_of_projects ~ "'") }}
    {%- endif -%}
    {%- if not execute or flags.WHICH == 'seed' -%}
        {{ return('') }}
    {%- endif -%}
    {#- practice_start_dates (a staggered project's per-practice start dates) is optional: files without it stay valid -#}
    {%- set expected = ['project_id', 'title', 'indicator', 'clinical_area', 'practice_codes',
        'comparison_practice_codes', 'start_date', 'end_date', 'practice_start_dates'] -%}
    {%- set relation = source('qi', 'qi_projects') -%}
    {%- do run_query('create schema if not exists ' ~ relation.without_identifier()) -%}
    {%- set file_path = discovery_extract_dir() ~ '/qi_projects.csv' -%}
    {%- set quoted_file_path = "'" ~ dbt.escape_single_quotes(file_path) ~ "'" -%}
    {%- if run_query('select count(*) from glob(' ~ quoted_file_path ~ ')').columns[0].values()[0] == 0 -%}
        {%- set empty_columns = [] -%}
        {%- for column in expected -%}
            {%- do empty_columns.append('cast(null as varchar) as ' ~ column) -%}
        {%- endfor -%}
        {%- do run_query('create or replace view ' ~ relation ~ ' as select ' ~ empty_columns | join(', ') ~ ' where false') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set reader = 'read_csv(' ~ quoted_file_path ~ ", header = true, delim = ',', quote = '\"', all_varchar = true)" -%}
    {%- set found = run_query('describe select * from ' ~ reader).columns[0].values() | list -%}
    {%- if found != expected and found != expected[:-1] -%}
        {{ exceptions.raise_compiler_error(
            file_path ~ ": the header does not match the qi_projects format.\n  expected: " ~ expected | join(',')
            ~ "\n  (or without the optional last column)\n  found:    " ~ found | join(',')
        ) }}
    {%- endif -%}
    {%- set optional_column = '' if found == expected else ', cast(null as varchar) as practice_start_dates' -%}
    {%- do run_query('create or replace view ' ~ relation ~ ' as select *' ~ optional_column ~ ' from ' ~ reader) -%}
    {{ return('') }}
{% endmacro %}
