{#- A select of the rows of `rows` coded in a codelist of seed ref_codelist_codes, one row per (row, codelist): every
    column of `rows` plus codelist_id, codelist_version, matched_on and matched_code (the codelist's code that
    matched). A row matches a codelist code when its core code (code_scheme, code) or its code as recorded
    (original_code_scheme, original_code) equals the codelist's (code_scheme, code), compared exactly: Read2 and CTV3
    codes are case-sensitive. Built from two equi-joins, no OR join (which cannot use a hash join; the observation
    table has 50M rows at NEL scale): the core-code matches ('core_code'), plus the original-code matches of
    codelists that do not also hold the row's core code ('original_code'), so each (row, codelist) appears once and
    the core code wins when both match. The second condition is an anti-join against the small seed, not against the
    matches, so nothing large is de-duplicated. One row per (row, codelist) because (codelist_id, code_scheme, code)
    is the seed's key. `rows` (a CTE or relation, or a parenthesised subquery: DuckDB materialises a CTE that a query
    reads twice, so a large input is better passed as a subquery, which each branch then scans itself) needs the
    columns code, code_scheme, original_code and original_code_scheme. `codelist_codes` (default the whole seed) is
    the codelists to match, with the seed's columns: a filtered CTE when only some codelists are read. Portable SQL. -#}
{% macro codelist_matches(rows, codelist_codes=none) %}
    {%- set codelist_codes = codelist_codes or ref('ref_codelist_codes') %}
    select
        matched_rows.*,
        codelist_codes.codelist_id,
        codelist_codes.codelist_version,
        'core_code' as matched_on,
        codelist_codes.code as matched_code
    from {{ rows }} as matched_rows
    inner join {{ codelist_codes }} as codelist_codes
        on
            matched_rows.code_scheme = codelist_codes.code_scheme
            and matched_rows.code = codelist_codes.code

    union all

    select
        matched_rows.*,
        codelist_codes.codelist_id,
        codelist_codes.codelist_version,
        'original_code' as matched_on,
        codelist_codes.code as matched_code
    from {{ rows }} as matched_rows
    inner join {{ codelist_codes }} as codelist_codes
        on
            matched_rows.original_code_scheme = codelist_codes.code_scheme
            and matched_rows.original_code = codelist_codes.code
    left join {{ codelist_codes }} as core_codelist_codes
        on
            codelist_codes.codelist_id = core_codelist_codes.codelist_id
            and matched_rows.code_scheme = core_codelist_codes.code_scheme
            and matched_rows.code = core_codelist_codes.code
    where core_codelist_codes.codelist_id is null
{% endmacro %}
