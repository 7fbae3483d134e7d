{#- The extract's manifest.json ($EQUITY_QI_EXTRACT_DIR/manifest.json) parsed into a dict; stops with a clear
    error when the folder holds no manifest. Needs a database connection (call it only when `execute`). -#}
{% macro discovery_extract_manifest() %}
    {{ return(adapter.dispatch('discovery_extract_manifest', 'equity_qi')()) }}
{% endmacro %}


{% macro default__discovery_extract_manifest() %}
    {{ exceptions.raise_compiler_error(
        "discovery_extract_manifest is not implemented for adapter '" ~ adapter.type() ~ "'"
    ) }}
{% endmacro %}


{% macro duckdb__discovery_extract_manifest() %}
    {%- set extract_dir = discovery_extract_dir() -%}
    {%- set quoted_path = "'" ~ dbt.escape_single_quotes(extract_dir ~ '/manifest.json') ~ "'" -%}
    {%- set found = run_query('select count(*) from glob(' ~ quoted_path ~ ')') -%}
    {%- if found.columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "No Discovery extract in '" ~ extract_dir ~ "': manifest.json is missing. Point EQUITY_QI_EXTRACT_DIR at"
            ~ " an extract folder (make generate writes one to data/extract)."
        ) }}
    {%- endif -%}
    {%- set text = run_query('select content from read_text(' ~ quoted_path ~ ')') -%}
    {{ return(fromjson(text.columns[0].values()[0])) }}
{% endmacro %}
