{#- The tables of the Discovery extract (source `discovery`) with their key column and the column giving the
    organisation a row belongs to (none for the terminology tables), in the order of the sources yml. Models that
    loop over every table (stg_discovery__removed_rows, stg_discovery__raw_row_counts, fct_dq_reconciliation) read
    it, so the loops call source()/ref() with literal names that dbt sees at parse time. -#}
{% macro discovery_tables() %}
    {{ return([
        {'name': 'organization', 'key': 'id', 'organization_column': 'id'},
        {'name': 'person', 'key': 'id', 'organization_column': 'organization_id'},
        {'name': 'patient', 'key': 'id', 'organization_column': 'organization_id'},
        {'name': 'patient_pseudo_id', 'key': 'id', 'organization_column': 'organization_id'},
        {'name': 'episode_of_care', 'key': 'id', 'organization_column': 'organization_id'},
        {'name': 'patient_address', 'key': 'id', 'organization_column': 'organization_id'},
        {'name': 'observation', 'key': 'id', 'organization_column': 'organization_id'},
        {'name': 'medication_statement', 'key': 'id', 'organization_column': 'organization_id'},
        {'name': 'concept', 'key': 'dbid', 'organization_column': none},
        {'name': 'concept_map', 'key': 'id', 'organization_column': none},
    ]) }}
{% endmacro %}
