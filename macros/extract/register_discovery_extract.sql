{#- on-run-start hook: expose the Discovery extract folder ($EQUITY_QI_EXTRACT_DIR) as one view per source
    table of source `discovery`, in that source's schema (raw_discovery). The tables, their column order and
    types come from models/staging/discovery/_discovery__sources.yml (graph.sources); the file format and the
    file names come from the folder's manifest.json. Runs the statements itself and returns no SQL. -#}
{% macro register_discovery_extract() %}
    {{ return(adapter.dispatch('register_discovery_extract', 'equity_qi')()) }}
{% endmacro %}


{% macro default__register_discovery_extract() %}
    {{ exceptions.raise_compiler_error(
        "register_discovery_extract is not implemented for adapter '" ~ adapter.type() ~ "': add a "
        ~ adapter.type() ~ "__register_discovery_extract() macro in macros/extract/ that exposes the extract files"
        ~ " as relations in the schema of source 'discovery'."
    ) }}
{% endmacro %}


{% macro duckdb__register_discovery_extract() %}
    {#- Hooks are rendered at parse time too; only act when dbt executes. Seeds never read the extract. -#}
    {%- if not execute or flags.WHICH == 'seed' -%}
        {{ return('') }}
    {%- endif -%}

    {%- set extract_dir = discovery_extract_dir() -%}
    {%- set manifest_path = extract_dir ~ '/manifest.json' -%}
    {%- set manifest = discovery_extract_manifest() -%}

    {%- set file_format = manifest.get('format') -%}
    {%- if file_format not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error(
            manifest_path ~ ": format must be 'csv' or 'parquet', found '" ~ file_format ~ "'"
        ) }}
    {%- endif -%}
    {%- set manifest_tables = manifest.get('tables') or {} -%}

    {%- set sources = graph.sources.values()
        | selectattr('package_name', 'equalto', project_name)
        | selectattr('source_name', 'equalto', 'discovery')
        | list -%}
    {%- if sources | length == 0 -%}
        {{ exceptions.raise_compiler_error("register_discovery_extract: the project defines no source 'discovery'") }}
    {%- endif -%}

    {#- The extract must be of the schema version the sources yml describes. -#}
    {%- set expected_version = sources[0].source_meta.get('schema_version') -%}
    {%- if expected_version and manifest.get('schema_version') != expected_version -%}
        {{ exceptions.raise_compiler_error(
            manifest_path ~ ": schema_version is '" ~ manifest.get('schema_version') ~ "' but the sources yml"
            ~ " describes '" ~ expected_version ~ "'"
        ) }}
    {%- endif -%}

    {#- Parquet: compare types in DuckDB's canonical spelling (REAL reads back as FLOAT). -#}
    {%- set canonical_types = {} -%}
    {%- if file_format == 'parquet' -%}
        {%- set declared_types = [] -%}
        {%- for source_node in sources -%}
            {%- for column in source_node.columns.values() -%}
                {%- if column.data_type | upper not in declared_types -%}
                    {%- do declared_types.append(column.data_type | upper) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set type_query -%}
            {%- for declared_type in declared_types %}
            select '{{ declared_type }}' as declared_type, typeof(cast(null as {{ declared_type }})) as canonical_type
            {%- if not loop.last %} union all{% endif -%}
            {%- endfor -%}
        {%- endset -%}
        {%- for row in run_query(type_query).rows -%}
            {%- do canonical_types.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}

    {%- for source_node in sources | sort(attribute='name') -%}
        {%- set relation = api.Relation.create(
            database=source_node.database, schema=source_node.schema, identifier=source_node.identifier
        ) -%}
        {%- if loop.first -%}
            {%- do run_query('create schema if not exists ' ~ relation.without_identifier()) -%}
        {%- endif -%}

        {%- set table_entry = manifest_tables.get(source_node.name) -%}
        {%- if not table_entry or not table_entry.get('file') -%}
            {{ exceptions.raise_compiler_error(
                manifest_path ~ ": no file listed for table '" ~ source_node.name ~ "' (tables present: "
                ~ (manifest_tables.keys() | sort | join(', ')) ~ ")"
            ) }}
        {%- endif -%}
        {%- set file_path = extract_dir ~ '/' ~ table_entry['file'] -%}
        {%- set quoted_file_path = "'" ~ dbt.escape_single_quotes(file_path) ~ "'" -%}
        {%- if run_query('select count(*) from glob(' ~ quoted_file_path ~ ')').columns[0].values()[0] == 0 -%}
            {{ exceptions.raise_compiler_error(
                "Discovery extract file '" ~ file_path ~ "' (table " ~ source_node.name ~ ") listed in "
                ~ manifest_path ~ " does not exist"
            ) }}
        {%- endif -%}

        {%- set expected_columns = [] -%}
        {%- for column in source_node.columns.values() -%}
            {%- do expected_columns.append((column.name, column.data_type | upper)) -%}
        {%- endfor -%}

        {%- if file_format == 'csv' -%}
            {#- The header must name the expected columns in order: with explicit column types DuckDB reads
                columns by position, so a reordered file would otherwise load silently into the wrong columns. -#}
            {%- set header = run_query(
                'describe select * from read_csv(' ~ quoted_file_path ~ ", header = true, delim = ',',"
                ~ ' all_varchar = true, sample_size = 1)'
            ) -%}
            {%- set found_columns = header.columns[0].values() | list -%}
            {%- set expected_names = expected_columns | map(attribute=0) | list -%}
            {%- if found_columns != expected_names -%}
                {{ exceptions.raise_compiler_error(
                    "Discovery extract file '" ~ file_path ~ "': the header does not match the sources yml.\n"
                    ~ "  expected: " ~ expected_names | join(',') ~ "\n  found:    " ~ found_columns | join(',')
                ) }}
            {%- endif -%}
            {%- set column_types = [] -%}
            {%- for name, data_type in expected_columns -%}
                {%- do column_types.append("'" ~ name ~ "': '" ~ data_type ~ "'") -%}
            {%- endfor -%}
            {%- set reader -%}
                read_csv({{ quoted_file_path }}, header = true, auto_detect = false, delim = ',', quote = '"',
                    escape = '"', nullstr = '', columns = { {{- column_types | join(', ') -}} })
            {%- endset -%}
        {%- else -%}
            {%- set parquet_schema = run_query('describe select * from read_parquet(' ~ quoted_file_path ~ ')') -%}
            {%- set found_columns = [] -%}
            {%- for row in parquet_schema.rows -%}
                {%- do found_columns.append((row[0], row[1])) -%}
            {%- endfor -%}
            {%- set expected_canonical = [] -%}
            {%- for name, data_type in expected_columns -%}
                {%- do expected_canonical.append((name, canonical_types[data_type])) -%}
            {%- endfor -%}
            {%- if found_columns != expected_canonical -%}
                {{ exceptions.raise_compiler_error(
                    "Discovery extract file '" ~ file_path ~ "': columns or types do not match the sources yml.\n"
                    ~ "  expected: " ~ expected_canonical | map('join', ' ') | join(', ') ~ "\n"
                    ~ "  found:    " ~ found_columns | map('join', ' ') | join(', ')
                ) }}
            {%- endif -%}
            {%- set reader = 'read_parquet(' ~ quoted_file_path ~ ')' -%}
        {%- endif -%}

        {#- Direct identifiers never reach a relation (macro discovery_view_columns). -#}
        {%- set view_columns = discovery_view_columns(source_node) | map(attribute=1) | list -%}
        {%- do run_query(
            'create or replace view ' ~ relation ~ ' as select ' ~ view_columns | join(', ') ~ ' from ' ~ reader
        ) -%}
    {%- endfor -%}

    {#- The manifest itself, as one row (source discovery_extract.extract_manifest): its extract_timestamp is what
        `dbt source freshness` checks. -#}
    {%- set period = manifest.get('period') or {} -%}
    {%- set manifest_row -%}
        select
            cast({{ "'" ~ dbt.escape_single_quotes(manifest.get('extract_timestamp') | string) ~ "'" }} as timestamp)
                as extract_timestamp,
            cast({{ ("'" ~ period.get('start') ~ "'") if period.get('start') else 'null' }} as date) as period_start,
            cast({{ ("'" ~ period.get('end') ~ "'") if period.get('end') else 'null' }} as date) as period_end,
            '{{ dbt.escape_single_quotes(manifest.get('schema_version') | string) }}' as schema_version,
            '{{ file_format }}' as file_format,
            '{{ dbt.escape_single_quotes(extract_dir) }}' as extract_dir
    {%- endset -%}
    {%- do run_query(
        'create or replace view ' ~ sources[0].schema ~ '.extract_manifest as ' ~ manifest_row
    ) -%}

    {{ log(
        "Registered Discovery extract " ~ extract_dir ~ " (" ~ file_format ~ ", extract_timestamp "
        ~ manifest.get('extract_timestamp') ~ "): " ~ sources | length ~ " views in schema " ~ sources[0].schema,
        info=true
    ) }}
    {{ return('') }}
{% endmacro %}
