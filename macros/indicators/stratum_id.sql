{#- SQL integer: the id of a stratum of int_indicators__strata from its person part (`person_stratum_id`: sex,
    ethnic category and IMD decile, constant between a person's status changes) and its age part
    (`age_band_number`: the ESP 2013 band, which changes with the period end). The one place the two combine, so
    the person-periods can compute the id without joining the strata table. -#}
{% macro stratum_id(person_stratum_id, age_band_number) -%}
    ({{ person_stratum_id }} * 100 + {{ age_band_number }})
{%- endmacro %}
