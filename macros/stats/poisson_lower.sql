{#- SQL double: PHE phe_rate lower confidence limit of an observed count, on the COUNT scale (divide by the
    denominator and multiply by the multiplier for a rate): for count < 10 the exact Poisson limit
    `exact_lower_count`, which the caller joins from seed ref_poisson_exact_limits (on observed = count and
    confidence = the same confidence; it covers 0..9, so a negative or fractional count below 10 gets NULL from the
    join), otherwise Byar's limit (byar_lower). NULL when the count is NULL. -#}
{% macro poisson_lower(count, exact_lower_count, confidence=0.95) -%}
    {{ return(adapter.dispatch('poisson_lower', 'equity_qi')(count, exact_lower_count, confidence)) }}
{%- endmacro %}


{% macro default__poisson_lower(count, exact_lower_count, confidence=0.95) -%}
    case
        when ({{ count }}) < 10 then cast({{ exact_lower_count }} as double)
        when ({{ count }}) >= 10 then {{ byar_lower(count, confidence) }}
    end
{%- endmacro %}
