{#- SQL double: the standard error of the proportion numerator / denominator (0..1 scale), the one rule every
    proportion subgroup feeding an inequality measure uses (SII, RII, gaps; fct_inequality_indices and the QI
    evaluation alike): the larger of the binomial SE sqrt(p (1 - p) / n) and the Wilson 95% half-width over z,
    (wilson_upper - wilson_lower) / (2 z). Why both: the binomial SE is 0 at 0 % and 100 % and too small near them
    (an SII from five quintiles of 10 patients covers its true value 84 % of the time), Wilson's half-width is
    smaller than the binomial SE near 50 % (89 %); the larger of the two covers 93-99 % on every tested stratum
    (docs/inequality_qi_spc.md, "Standard errors of proportion subgroups"). PHE's own rule, the SE of the logit of
    the limits, is undefined at 0 % and 100 % (phe_sii's simulation then returns NaN limits), so it is not used.
    NULL when the denominator is NULL or <= 0 or the numerator is outside 0..denominator. x may be fractional. -#}
{% macro proportion_standard_error(numerator, denominator) -%}
    {{ return(adapter.dispatch('proportion_standard_error', 'equity_qi')(numerator, denominator)) }}
{%- endmacro %}


{% macro default__proportion_standard_error(numerator, denominator) -%}
    {%- set x = 'cast(' ~ numerator ~ ' as double)' -%}
    {%- set n = 'cast(' ~ denominator ~ ' as double)' -%}
    case
        when ({{ denominator }}) > 0 and ({{ numerator }}) >= 0 and ({{ numerator }}) <= ({{ denominator }})
            then greatest(
                sqrt(greatest({{ x }} * ({{ n }} - {{ x }}), 0) / ({{ n }} * {{ n }} * {{ n }})),
                ({{ wilson_upper(numerator, denominator) }} - {{ wilson_lower(numerator, denominator) }})
                / (2 * {{ z_value(0.95) }})
            )
    end
{%- endmacro %}
