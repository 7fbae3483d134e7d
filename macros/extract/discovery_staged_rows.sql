{#- The rows of a Discovery extract table that staging keeps: the rows that survive its delete rows
    (discovery_kept_rows), with the extra copies of a row delivered more than once (every column equal) collapsed
    into one. Returns a select over `relation` (all columns); stg_discovery__removed_rows lists what it drops. -#}
{% macro discovery_staged_rows(relation, key='id') %}
    {{ return(adapter.dispatch('discovery_staged_rows', 'equity_qi')(relation, key)) }}
{% endmacro %}


{% macro default__discovery_staged_rows(relation, key) %}
    {#- copies of a row share its key, so only the rows of keys delivered more than once (few) need a distinct:
        a distinct over every row hashes the whole table (at NEL with background codes 94 s and 13 GB of spill,
        against 22 s for the repeated keys) #}
    with

    repeated_keys as (

        select repeated_rows.{{ key }}
        from {{ relation }} as repeated_rows
        where not coalesce(repeated_rows.is_delete, false) and repeated_rows.{{ key }} is not null
        group by repeated_rows.{{ key }}
        having count(*) > 1

    )

    select distinct rows_of_repeated_keys.*
    from ({{ discovery_kept_rows(relation, key) }}) as rows_of_repeated_keys
    where
        rows_of_repeated_keys.{{ key }} is null
        or rows_of_repeated_keys.{{ key }} in (select repeated_keys.{{ key }} from repeated_keys)

    union all

    select rows_of_single_keys.*
    from ({{ discovery_kept_rows(relation, key) }}) as rows_of_single_keys
    where rows_of_single_keys.{{ key }} not in (select repeated_keys.{{ key }} from repeated_keys)
{% endmacro %}
