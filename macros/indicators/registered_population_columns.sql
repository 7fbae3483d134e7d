{#- The columns of int_indicators__registered_population, qualified by `alias`, as a select list: every indicator
    denominator carries them, the stratum included, so the outcomes are stratified without another join (explicit, so
    each model's columns are known without reading the database). -#}
{% macro registered_population_columns(alias) -%}
    {%- set columns = [
        'person_id', 'period_end', 'is_qof_year_end', 'is_in_monthly_series', 'patient_id', 'organization_id',
        'registration_date', 'sex', 'date_of_birth', 'age_months', 'age_years', 'stratum_id', 'lsoa_code'
    ] -%}
    {%- for column in columns %}
        {{ alias }}.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
