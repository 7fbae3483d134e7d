{#- SQL text: how one QI effect reads, from its estimate and standard error (normal 95% interval by default):
    `positive` / `negative` when the interval excludes 0 (oriented by `sign`: an effect clearly above 0 reads
    `positive` when sign > 0 and `negative` when sign < 0), 'unchanged' when the whole interval lies inside
    +/- `margin` (the indicator's equivalence margin), otherwise 'not clear'. NULL when the effect or its SE is NULL.
    A wide interval is never 'unchanged': it must be narrower than the margin on both sides. With a NULL margin
    nothing reads 'unchanged'. -#}
{% macro qi_judgement(effect, se, sign, margin, positive, negative, confidence=0.95) -%}
    {{ return(adapter.dispatch('qi_judgement', 'equity_qi')(effect, se, sign, margin, positive, negative, confidence)) }}
{%- endmacro %}


{% macro default__qi_judgement(effect, se, sign, margin, positive, negative, confidence=0.95) -%}
    {%- set z = z_value(confidence) -%}
    {%- set lower = '((' ~ effect ~ ') - ' ~ z ~ ' * (' ~ se ~ '))' -%}
    {%- set upper = '((' ~ effect ~ ') + ' ~ z ~ ' * (' ~ se ~ '))' -%}
    case
        when ({{ effect }}) is null or ({{ se }}) is null then null
        when {{ lower }} > 0 then case when ({{ sign }}) > 0 then '{{ positive }}' else '{{ negative }}' end
        when {{ upper }} < 0 then case when ({{ sign }}) > 0 then '{{ negative }}' else '{{ positive }}' end
        when {{ lower }} >= -({{ margin }}) and {{ upper }} <= ({{ margin }}) then 'unchanged'
        else 'not clear'
    end
{%- endmacro %}
