{#- The columns of int_indicators__registered_population, qualified by `alias`, as a select list: every indicator
    denominator carries them, stratifiers included, so the outcomes are stratified without another join (explicit, so
    each model's columns are known without reading the database). -#}
{% macro registered_population_columns(alias) -%}
    {%- set columns = [
        'person_id', 'period_end', 'is_qof_year_end', 'is_in_monthly_series', 'patient_id', 'organization_id',
        'registration_date', 'sex', 'date_of_birth', 'age_months', 'age_years', 'age_band', 'ethnicity_group_5',
        'ethnicity_group_16', 'imd_decile', 'imd_quintile', 'is_core20', 'lsoa_code'
    ] -%}
    {%- for column in columns %}
        {{ alias }}.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
