{#- SQL double: Byar's lower confidence limit of an observed count of events, on the COUNT scale (divide by the
    denominator for a rate), as PHE byars_lower: x * (1 - 1/(9x) - z/(3 sqrt(x)))^3. NULL when the count is NULL,
    when the limit comes out negative (PHE's rule; e.g. x = 1 at 99.8%), and for x <= 0 (undefined at 0: PHE gives
    NaN; use poisson_lower, whose exact limit of 0 is 0). No exact switch: see poisson_lower for the phe_rate rule. -#}
{% macro byar_lower(count, confidence=0.95) -%}
    {{ return(adapter.dispatch('byar_lower', 'equity_qi')(count, confidence)) }}
{%- endmacro %}


{% macro default__byar_lower(count, confidence=0.95) -%}
    {%- set z = z_value(confidence) -%}
    {#- the count, NULL unless > 0, so no branch divides by zero or takes the root of a negative -#}
    {%- set x = '(case when (' ~ count ~ ') > 0 then cast(' ~ count ~ ' as double) end)' -%}
    {%- set base = '(1 - 1 / (9 * ' ~ x ~ ') - ' ~ z ~ ' / (3 * sqrt(' ~ x ~ ')))' -%}
    case
        when {{ base }} >= 0 then {{ x }} * power({{ base }}, 3)
    end
{%- endmacro %}
