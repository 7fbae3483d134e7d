{#- SQL text: one sentence saying why a QI component is not clear, or '' when `judgement` is anything else:
    "<label> not clear: effect <e> [<lower>, <upper>] includes 0 and reaches beyond the equivalence margin +/-<m>;
    the smallest effect these practices detect with 80% power is +/-<mde>" (numbers rounded to 3 decimals, 95%
    normal interval), then, when `n_practices` is given, what would help (a practice-level SE falls with the square
    root of the practices; an approximation that assumes alike practices): for an effect at least the margin,
    "; an effect of this size would need about <k> practices per role", k = ceil(n_practices (mde / |effect|)^2);
    for an effect inside the margin, "; to show it unchanged, inside the margin, would need about <k> practices per
    role", k = ceil(n_practices (z se / (margin - |effect|))^2); and ". ". Read by fct_qi_equity_impact's
    verdict_note. -#}
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
        {%- set practices_for = 'cast(cast(ceil((' ~ n_practices ~ ') * power(@, 2)) as ' ~ dbt.type_bigint()
            ~ ') as ' ~ dbt.type_string() ~ ')' -%}
        {%- set to_detect = practices_for | replace('@', minimum_detectable_effect(se) ~ ' / abs(' ~ effect ~ ')') -%}
        {%- set to_bound = practices_for | replace(
            '@', z ~ ' * (' ~ se ~ ') / ((' ~ margin ~ ') - abs(' ~ effect ~ '))'
        ) -%}
        {%- do rendered.append(
            "case when abs(" ~ effect ~ ") >= (" ~ margin ~ ") and (" ~ effect ~ ") <> 0 then " ~ dbt.concat([
                "'; an effect of this size would need about '", to_detect, "' practices per role'"
            ]) ~ " when abs(" ~ effect ~ ") < (" ~ margin ~ ") then " ~ dbt.concat([
                "'; to show it unchanged, inside the margin, would need about '", to_bound,
                "' practices per role'"
            ]) ~ " else '' end"
        ) -%}
    {%- endif -%}
    {%- do rendered.append("'. '") -%}
    case when ({{ judgement }}) = 'not clear' then {{ dbt.concat(rendered) }} else '' end
{%- endmacro %}
