{#- SQL integer: completed years of age on `on_date` for a person born on `birth_date` (both date expressions):
    completed months (macro age_in_months) divided by 12 and floored (SEL's floor(months_between(dob, D) / 12)).
    Pseudonymised Discovery feeds hold the birth date as the 1st of the birth month, so the age turns on the 1st
    of the birthday month: at most a month early. -#}
{% macro age_in_years(birth_date, on_date) -%}
    {{ return(adapter.dispatch('age_in_years', 'equity_qi')(birth_date, on_date)) }}
{%- endmacro %}


{% macro default__age_in_years(birth_date, on_date) -%}
    floor({{ age_in_months(birth_date, on_date) }} / 12.0)
{%- endmacro %}
