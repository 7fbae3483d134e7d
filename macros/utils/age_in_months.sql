{#- SQL integer: completed months of age on `on_date` for a person born on `birth_date` (both date expressions):
    whole calendar months between them, less one if the day of the month is not yet reached. The basis of
    age_in_years, and of the childhood immunisation cohorts (children who reached 8 months in the year). -#}
{% macro age_in_months(birth_date, on_date) -%}
    {{ return(adapter.dispatch('age_in_months', 'equity_qi')(birth_date, on_date)) }}
{%- endmacro %}


{% macro default__age_in_months(birth_date, on_date) -%}
    (
        {{ dbt.datediff(birth_date, on_date, 'month') }}
        - case
            when extract(day from {{ on_date }}) < extract(day from {{ birth_date }}) then 1 else 0
        end
    )
{%- endmacro %}
