{#- SQL text: one sentence saying why a QI component is not clear, or '' when `judgement` is anything else:
    "<label> not clear: effect <e> [<lower>, <upper>] includes 0 and reaches beyond the equivalence margin +/-<m>;
    the smallest effect these practices detect with 80% power is +/-<mde>" (numbers rounded to 3 decimals, 95%
    normal interval), then, when `n_practices` is given and the effect is not 0, what would help: "; an effect of
    this size would need about <k> practices per role" with k = ceil(n_practices (mde / |effect|)^2) (a
    practice-level SE falls with the square root of the practices, so the MDE does; an approximation that assumes
    alike practices), and ". ". Read by fct_qi_equity_impact's verdict_note. -#}
{% macro qi_not_clear_note(label, judgement, effect, se, margin, n_practices=none) -%}
    {{ return(adapter.dispatch('qi_not_clear_note', 'equity_qi')(label, judgement, effect, se, margin, n_practices)) }}
{%- endmacro %}


{% macro default__qi_not_clear_note(label, judgement, effect, se, margin, n_practices=none) -%}
    {%- set z = z_value(0.95) -%}
    {%- set parts = [
        "'" ~ label ~ " not clear: effect '", effect,
        "' ['", effect ~ ' - ' ~ z ~ ' * ' ~ se,
        "', '", effect ~ ' + ' ~ z ~ ' * ' ~ se,
        "'] includes 0 and reaches beyond the equivalence margin +/-'", margin,
        "'; the smallest effect these practices detect with 80% power is +/-'", minimum_detectable_effect(se),
    ] -%}
    {%- set rendered = [] -%}
    {%- for part in parts -%}
        {%- if part.startswith("'") -%}
            {%- do rendered.append(part) -%}
        {%- else -%}
            {%- do rendered.append('cast(round(' ~ part ~ ', 3) as ' ~ dbt.type_string() ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if n_practices is not none -%}
        {%- set needed = 'cast(ceil((' ~ n_practices ~ ') * power(' ~ minimum_detectable_effect(se) ~ ' / abs('
            ~ effect ~ '), 2)) as ' ~ dbt.type_bigint() ~ ')' -%}
        {%- do rendered.append(
            "case when (" ~ effect ~ ") <> 0 then " ~ dbt.concat([
                "'; an effect of this size would need about '",
                'cast(' ~ needed ~ ' as ' ~ dbt.type_string() ~ ')', "' practices per role'"
            ]) ~ " else '' end"
        ) -%}
    {%- endif -%}
    {%- do rendered.append("'. '") -%}
    case when ({{ judgement }}) = 'not clear' then {{ dbt.concat(rendered) }} else '' end
{%- endmacro %}
