{#- SQL text: one sentence saying why a QI component is not clear, or '' when `judgement` is anything else:
    "<label> not clear: effect <e> [<lower>, <upper>] includes 0 and reaches beyond the equivalence margin +/-<m>;
    the smallest effect these practices detect with 80% power is +/-<mde>. " (numbers rounded to 3 decimals, 95%
    normal interval). Read by fct_qi_equity_impact's verdict_note. -#}
{% macro qi_not_clear_note(label, judgement, effect, se, margin) -%}
    {{ return(adapter.dispatch('qi_not_clear_note', 'equity_qi')(label, judgement, effect, se, margin)) }}
{%- endmacro %}


{% macro default__qi_not_clear_note(label, judgement, effect, se, margin) -%}
    {%- set z = z_value(0.95) -%}
    {%- set parts = [
        "'" ~ label ~ " not clear: effect '", effect,
        "' ['", effect ~ ' - ' ~ z ~ ' * ' ~ se,
        "', '", effect ~ ' + ' ~ z ~ ' * ' ~ se,
        "'] includes 0 and reaches beyond the equivalence margin +/-'", margin,
        "'; the smallest effect these practices detect with 80% power is +/-'", minimum_detectable_effect(se),
        "'. '",
    ] -%}
    {%- set rendered = [] -%}
    {%- for part in parts -%}
        {%- if part.startswith("'") -%}
            {%- do rendered.append(part) -%}
        {%- else -%}
            {%- do rendered.append('cast(round(' ~ part ~ ', 3) as ' ~ dbt.type_string() ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    case when ({{ judgement }}) = 'not clear' then {{ dbt.concat(rendered) }} else '' end
{%- endmacro %}
