{#- SQL text: whether a QI project's second design (the interrupted time series) bears out the primary one (the
    difference in differences) for one component, from both designs' judgements (qi_judgement: a clear word,
    'unchanged' or 'not clear') and effects: NULL when either judgement is NULL (no second design: the primary
    decides alone); for a clear primary judgement 'agree' when the second effect points the same way and does not
    read 'unchanged', else 'disagree'; for an 'unchanged' primary 'agree' unless the second is clear either way;
    for a 'not clear' primary always 'agree' (the second design can withdraw a clear reading, never make one, so
    the verdict is never less calibrated than the primary design alone). `clear_words` lists the component's two
    clear words. -#}
{% macro qi_design_agreement(primary_judgement, second_judgement, primary_effect, second_effect, clear_words) -%}
    {{ return(adapter.dispatch('qi_design_agreement', 'equity_qi')(
        primary_judgement, second_judgement, primary_effect, second_effect, clear_words
    )) }}
{%- endmacro %}


{% macro default__qi_design_agreement(primary_judgement, second_judgement, primary_effect, second_effect,
                                      clear_words) -%}
    {%- set clear_list = "'" ~ clear_words | join("', '") ~ "'" -%}
    case
        when ({{ primary_judgement }}) is null or ({{ second_judgement }}) is null then null
        when ({{ primary_judgement }}) = 'unchanged'
            then case when ({{ second_judgement }}) in ({{ clear_list }}) then 'disagree' else 'agree' end
        when ({{ primary_judgement }}) in ({{ clear_list }})
            then case
                when ({{ primary_effect }}) * ({{ second_effect }}) > 0 and ({{ second_judgement }}) <> 'unchanged'
                    then 'agree'
                else 'disagree'
            end
        else 'agree'
    end
{%- endmacro %}
