{#- dbt's schema naming, overridden: a model or seed with a custom schema (dbt_project.yml gives each layer one:
    staging, intermediate, marts, seeds in reference) builds into exactly that schema, not <target schema>_<custom>,
    so the warehouse reads as its layers (staging.stg_discovery__patient, marts.fct_indicator_rates); anything
    without one goes to the target's schema (main on DuckDB). Every target shares the layout, so a query written
    against one warehouse runs on another. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
