{#- SQL text: how a person's ethnicity stands, from the NHS 16+1 code of their latest usable ethnicity record
    (`nhs16_code`, NULL when they have none): 'recorded', 'not_stated' (code Z: asked, and declined or did not know)
    or 'not_recorded' (no record at all). -#}
{% macro ethnicity_status(nhs16_code) -%}
    case
        when {{ nhs16_code }} is null then 'not_recorded'
        when {{ nhs16_code }} = 'Z' then 'not_stated'
        else 'recorded'
    end
{%- endmacro %}
