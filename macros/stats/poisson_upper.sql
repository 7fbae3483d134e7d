{#- SQL double: PHE phe_rate upper confidence limit of an observed count, on the COUNT scale (divide by the
    denominator and multiply by the multiplier for a rate): for count < 10 the exact Poisson limit
    `exact_upper_count`, which the caller joins from seed ref_poisson_exact_limits (on observed = count and
    confidence = the same confidence; it covers 0..9, so a negative or fractional count below 10 gets NULL from the
    join), otherwise Byar's limit (byar_upper). NULL when the count is NULL. -#}
{% macro poisson_upper(count, exact_upper_count, confidence=0.95) -%}
    {{ return(adapter.dispatch('poisson_upper', 'equity_qi')(count, exact_upper_count, confidence)) }}
{%- endmacro %}


{% macro default__poisson_upper(count, exact_upper_count, confidence=0.95) -%}
    case
        when ({{ count }}) < 10 then cast({{ exact_upper_count }} as double)
        when ({{ count }}) >= 10 then {{ byar_upper(count, confidence) }}
    end
{%- endmacro %}
