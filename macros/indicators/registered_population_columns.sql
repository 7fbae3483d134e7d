{#- The columns of a person-period population (macro population_at_period_ends), qualified by `alias`, as a select list: every indicator
    denominator carries them, the stratum included, so the outcomes are stratified without another join (explicit, so
    each model's columns are known without reading the database). Only what the indicator rules and the outcomes read:
    each column more costs every person-period table a write (sex, the period flags and the LSOA come from
    int_indicators__strata, int_calendar__indicator_periods and int_demographics__address_periods when needed). -#}
{% macro registered_population_columns(alias) -%}
    {%- set columns = [
        'person_id', 'period_end', 'organization_id', 'registration_date', 'birth_month_start', 'age_months', 'age_years',
        'stratum_id'
    ] -%}
    {%- for column in columns %}
        {{ alias }}.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
