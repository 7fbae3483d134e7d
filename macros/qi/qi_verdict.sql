{#- SQL text: a QI project's verdict from the judgements of its level effect (qi_judgement: 'improved', 'worsened',
    'unchanged', 'not clear'), its gap effect ('narrowed', 'widened', 'unchanged', 'not clear') and the least
    deprived quintile's effect ('better', 'worse', ...). Clear results keep their plain words; anything else says
    'not clear' or 'unchanged' for the component it is about. The 15 strings, in this order of precedence:
      not estimable                       a level or gap judgement is NULL (no patients, or an incomplete gradient)
      improved and narrowed | improved but widened | improved, gap unchanged | improved, gap not clear
      worsened                            the level clearly worse, whatever the gap did
      levelled down                       gap narrowed, level not improved, the least deprived clearly worse off
      not clear                           neither the level nor the gap is clear
      level unchanged, gap narrowed | level unchanged, gap widened | level unchanged, gap unchanged |
      level unchanged, gap not clear | level not clear, gap narrowed | level not clear, gap widened |
      level not clear, gap unchanged -#}
{% macro qi_verdict(level_judgement, gap_judgement, least_deprived_judgement) -%}
    {{ return(adapter.dispatch('qi_verdict', 'equity_qi')(level_judgement, gap_judgement, least_deprived_judgement)) }}
{%- endmacro %}


{% macro default__qi_verdict(level_judgement, gap_judgement, least_deprived_judgement) -%}
    case
        when ({{ level_judgement }}) is null or ({{ gap_judgement }}) is null then 'not estimable'
        when ({{ level_judgement }}) = 'improved' and ({{ gap_judgement }}) = 'narrowed' then 'improved and narrowed'
        when ({{ level_judgement }}) = 'improved' and ({{ gap_judgement }}) = 'widened' then 'improved but widened'
        when ({{ level_judgement }}) = 'improved' then {{ dbt.concat(["'improved, gap '", gap_judgement]) }}
        when ({{ level_judgement }}) = 'worsened' then 'worsened'
        when
            ({{ gap_judgement }}) = 'narrowed' and ({{ least_deprived_judgement }}) = 'worse'
            then 'levelled down'
        when ({{ level_judgement }}) = 'not clear' and ({{ gap_judgement }}) = 'not clear' then 'not clear'
        else {{ dbt.concat(["'level '", level_judgement, "', gap '", gap_judgement]) }}
    end
{%- endmacro %}
