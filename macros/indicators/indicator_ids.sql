{#- The indicators the warehouse computes, as lower-case ids: each has a row in seed ref_indicators (upper-case id)
    and three component models int_indicators__<id>_denominator / _numerator / _exclusions. Adding an indicator =
    a registry row, its three models, and its id here (a singular test checks the registry and this list agree). -#}
{% macro indicator_ids() %}
    {{ return([
        'hyp_prev', 'hyp_cf_bp5y', 'hyp008', 'hyp009',
        'dm020', 'dm021', 'dm_mean_hba1c',
        'cs005', 'cs006',
        'vi001', 'vi002', 'vi003',
    ]) }}
{% endmacro %}
