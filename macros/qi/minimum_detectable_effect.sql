{#- SQL double: the minimum detectable effect of an estimate with standard error `se`, for a two-sided test at
    `confidence` (0.95: z = 1.96) with `power` (0.8 or 0.9): (z + z_power) x se, where z_power = qnorm(power)
    (Bloom 1995, "Minimum detectable effects", Evaluation Review 19(5)). A true effect this large is found clear
    with that probability. NULL when se is NULL. -#}
{% macro minimum_detectable_effect(se, confidence=0.95, power=0.8) -%}
    {{ return(adapter.dispatch('minimum_detectable_effect', 'equity_qi')(se, confidence, power)) }}
{%- endmacro %}


{% macro default__minimum_detectable_effect(se, confidence=0.95, power=0.8) -%}
    {%- set z_by_power = {'0.80': '0.8416212335729143', '0.90': '1.2815515655446004'} -%}
    {%- set key = '%.2f' | format(power | float) -%}
    {%- if key not in z_by_power -%}
        {{ exceptions.raise_compiler_error('minimum_detectable_effect: power must be 0.8 or 0.9, not ' ~ power) }}
    {%- endif -%}
    (({{ z_value(confidence) }} + {{ z_by_power[key] }}) * ({{ se }}))
{%- endmacro %}
