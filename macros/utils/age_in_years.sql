{#- SQL integer: completed years of age on `on_date` for a person born on `birth_date` (both date expressions):
    whole months between them, less one if the day of the month is not yet reached, divided by 12 and floored
    (SEL's floor(months_between(dob, D) / 12)). Pseudonymised Discovery feeds hold the birth date as the 1st of
    the birth month, so the age turns on the 1st of the birthday month: at most a month early. -#}
{% macro age_in_years(birth_date, on_date) -%}
    {{ return(adapter.dispatch('age_in_years', 'equity_qi')(birth_date, on_date)) }}
{%- endmacro %}


{% macro default__age_in_years(birth_date, on_date) -%}
    floor(
        (
            {{ dbt.datediff(birth_date, on_date, 'month') }}
            - case
                when extract(day from {{ on_date }}) < extract(day from {{ birth_date }}) then 1 else 0
            end
        ) / 12.0
    )
{%- endmacro %}
