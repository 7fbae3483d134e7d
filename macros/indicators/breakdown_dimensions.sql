{#- The breakdowns of the indicator rate marts, in display order: 'overall' (one stratum, 'All') and every breakdown
    macro breakdown_stratum spells. fct_indicator_standardised_rates uses the deprivation and ethnicity ones. -#}
{% macro breakdown_dimensions() -%}
    {{ return([
        'overall', 'imd_quintile', 'imd_decile', 'ethnicity_group_5', 'ethnicity_group_16', 'age_band', 'sex', 'core20',
        'imd_quintile_x_ethnicity_group_5'
    ]) }}
{%- endmacro %}
