{#- The Discovery extract folder: $EQUITY_QI_EXTRACT_DIR (default data/extract), made absolute against the
    dbt project directory when it is relative, without a trailing slash. -#}
{% macro discovery_extract_dir() %}
    {%- set extract_dir = env_var('EQUITY_QI_EXTRACT_DIR', 'data/extract') | trim -%}
    {%- if not extract_dir -%}
        {{ exceptions.raise_compiler_error("EQUITY_QI_EXTRACT_DIR is set but empty") }}
    {%- endif -%}
    {%- set is_absolute = extract_dir.startswith('/') or modules.re.match('^[A-Za-z]:[\\\\/]', extract_dir) -%}
    {%- if not is_absolute -%}
        {%- set project_dir = invocation_args_dict.get('project_dir') or '.' -%}
        {%- set extract_dir = project_dir.rstrip('/') ~ '/' ~ extract_dir -%}
    {%- endif -%}
    {{ return(extract_dir.rstrip('/')) }}
{% endmacro %}
