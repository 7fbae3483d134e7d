{#- SQL double: Byar's upper confidence limit of an observed count of events, on the COUNT scale (divide by the
    denominator for a rate), as PHE byars_upper: (x + 1) * (1 - 1/(9(x + 1)) + z/(3 sqrt(x + 1)))^3. NULL when the count
    is NULL or negative (PHE stops with an error there). No exact switch: see poisson_upper for the phe_rate rule. -#}
{% macro byar_upper(count, confidence=0.95) -%}
    {{ return(adapter.dispatch('byar_upper', 'equity_qi')(count, confidence)) }}
{%- endmacro %}


{% macro default__byar_upper(count, confidence=0.95) -%}
    {%- set z = z_value(confidence) -%}
    {#- x + 1, NULL when the count is NULL or negative -#}
    {%- set x1 = '(case when (' ~ count ~ ') >= 0 then cast(' ~ count ~ ' as double) + 1 end)' -%}
    ({{ x1 }} * power(1 - 1 / (9 * {{ x1 }}) + {{ z }} / (3 * sqrt({{ x1 }})), 3))
{%- endmacro %}
