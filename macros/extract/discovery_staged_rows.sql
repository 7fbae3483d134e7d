{#- The rows of a Discovery extract table that staging keeps: the rows that survive its delete rows
    (discovery_kept_rows), with the extra copies of a row delivered more than once (every column equal) collapsed
    into one. Returns a select over `relation` (all columns); stg_discovery__removed_rows lists what it drops.
    only_repeated_keys: run the distinct over the rows of keys delivered more than once only (copies of a row share
    its key): for the largest tables, where a distinct over every row hashes the whole table (observation at NEL
    with background codes: 94 s and 13 GB of spill, against 22 s for the repeated keys). Not the default, as the
    union of two scans it makes, read as a view on the build side of a join, meets a DuckDB 2.0.0 internal error
    ("dict-surviving join ... build pipeline is not single-source"); the tables that use it are materialised. -#}
{% macro discovery_staged_rows(relation, key='id', only_repeated_keys=false) %}
    {{ return(adapter.dispatch('discovery_staged_rows', 'equity_qi')(relation, key, only_repeated_keys)) }}
{% endmacro %}


{% macro default__discovery_staged_rows(relation, key, only_repeated_keys) %}
    {%- if not only_repeated_keys %}
    select distinct kept_rows.*
    from ({{ discovery_kept_rows(relation, key) }}) as kept_rows
    {%- else %}
    with

    repeated_keys as (

        {{ discovery_repeated_keys(relation, key) }}

    )

    select distinct rows_of_repeated_keys.*
    from ({{ discovery_kept_rows(relation, key) }}) as rows_of_repeated_keys
    where
        rows_of_repeated_keys.{{ key }} is null
        or rows_of_repeated_keys.{{ key }} in (select repeated_keys.{{ key }} from repeated_keys)

    union all

    select rows_of_single_keys.*
    from ({{ discovery_kept_rows(relation, key) }}) as rows_of_single_keys
    where
        rows_of_single_keys.{{ key }} is not null  {#- null keys are in the first branch; null not in (empty) is true #}
        and rows_of_single_keys.{{ key }} not in (select repeated_keys.{{ key }} from repeated_keys)
    {%- endif %}
{% endmacro %}
