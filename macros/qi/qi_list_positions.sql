{#- SQL select: the positions 1..50 (column list_position) of a '|'-separated list in the QI project list, to split
    practice_codes, comparison_practice_codes and practice_start_dates by position (dbt.split_part). The one place
    that says how long a list may be. -#}
{% macro qi_list_positions() -%}
    {{ return(adapter.dispatch('qi_list_positions', 'equity_qi')()) }}
{%- endmacro %}


{% macro default__qi_list_positions() -%}
    {%- for position in range(1, 51) %}
    select {{ position }} as list_position
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
