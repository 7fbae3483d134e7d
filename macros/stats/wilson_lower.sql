{#- SQL double: lower limit of the Wilson score interval for the proportion numerator / denominator, on the proportion
    scale (0..1; multiply by 100 for a percentage), as PHE phe_proportion:
    (2x + z^2 - z * sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2)). NULL when either input is NULL, the denominator is <= 0,
    or the numerator is outside 0..denominator (PHE stops with an error there). x may be fractional. Exactly 0 at
    x = 0 (where rounding would give a unit in the last place either side) and clamped to [0, 1]. -#}
{% macro wilson_lower(numerator, denominator, confidence=0.95) -%}
    {{ return(adapter.dispatch('wilson_lower', 'equity_qi')(numerator, denominator, confidence)) }}
{%- endmacro %}


{% macro default__wilson_lower(numerator, denominator, confidence=0.95) -%}
    {%- set z = z_value(confidence) -%}
    {%- set x = 'cast(' ~ numerator ~ ' as double)' -%}
    {%- set n = 'cast(' ~ denominator ~ ' as double)' -%}
    {%- set z2 = '(' ~ z ~ ' * ' ~ z ~ ')' -%}
    case
        when ({{ denominator }}) > 0 and ({{ numerator }}) = 0 then cast(0 as double)
        when ({{ denominator }}) > 0 and ({{ numerator }}) >= 0 and ({{ numerator }}) <= ({{ denominator }})
            then least(greatest(
                (2 * {{ x }} + {{ z2 }} - {{ z }} * sqrt({{ z2 }} + 4 * {{ x }} * (1 - {{ x }} / nullif({{ n }}, 0))))
                / (2 * ({{ n }} + {{ z2 }})),
                0
            ), 1)
    end
{%- endmacro %}
