{#- SQL date: the first day of the month of birth, from `birth_year` and `birth_month` (SQL integer expressions).
    The warehouse never holds a full date of birth (pseudonymised feeds give year and month): every age and every
    rule that counts from birth uses this date. Ages at a month end are exact with it (any day of the birth month
    is on or before the month's last day); day-level rules (an immunisation window, registration by an age) are
    at most a month early. NULL when either part is. Dispatched: make_date on DuckDB, Spark and PostgreSQL. -#}
{% macro birth_month_start(birth_year, birth_month) -%}
    {{ return(adapter.dispatch('birth_month_start', 'equity_qi')(birth_year, birth_month)) }}
{%- endmacro %}


{% macro default__birth_month_start(birth_year, birth_month) -%}
    make_date(cast({{ birth_year }} as {{ dbt.type_int() }}), cast({{ birth_month }} as {{ dbt.type_int() }}), 1)
{%- endmacro %}
