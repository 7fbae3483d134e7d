-- Every indicator's patient outcomes, one row per (indicator, person, period end) of its denominator population:
-- in_numerator, value (mean indicators), exclusion_reason and in_denominator, from the indicator's three component
-- models (macro indicator_outcomes applies QOF's rule that achievers are never excepted). Indicators: macro
-- indicator_ids.
with

patient_outcomes as (

    {% for indicator in indicator_ids() %}
    {%- if not loop.first %}
    union all
    {% endif %}
        {{ indicator_outcomes(
            indicator | upper,
            'int_indicators__' ~ indicator ~ '_denominator',
            'int_indicators__' ~ indicator ~ '_numerator',
            'int_indicators__' ~ indicator ~ '_exclusions'
        ) }}
    {%- endfor %}

)

select * from patient_outcomes
