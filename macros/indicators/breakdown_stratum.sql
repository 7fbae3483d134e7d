{#- SQL string: the stratum of breakdown `dimension` for a row with the stratifier columns of
    int_indicators__strata (imd_quintile, imd_decile, ethnicity_group_5, ethnicity_group_16, age_band,
    sex, is_core20). The one place the rate marts' strata are spelled: unknown IMD or age band is 'Unknown', Core20
    is 'Core20' / 'Not Core20' / 'Unknown', and the intersection imd_quintile_x_ethnicity_group_5 is
    'quintile | group'. Breakdowns: macro breakdown_dimensions. -#}
{% macro breakdown_stratum(dimension) -%}
    {%- set quintile = "coalesce(cast(imd_quintile as " ~ dbt.type_string() ~ "), 'Unknown')" -%}
    {%- set strata = {
        'imd_quintile': quintile,
        'imd_decile': "coalesce(cast(imd_decile as " ~ dbt.type_string() ~ "), 'Unknown')",
        'ethnicity_group_5': 'ethnicity_group_5',
        'ethnicity_group_16': 'ethnicity_group_16',
        'age_band': "coalesce(age_band, 'Unknown')",
        'sex': 'sex',
        'core20': "case when is_core20 then 'Core20' when not is_core20 then 'Not Core20' else 'Unknown' end",
        'imd_quintile_x_ethnicity_group_5': dbt.concat([quintile, "' | '", 'ethnicity_group_5']),
    } -%}
    {%- if dimension not in strata -%}
        {{ exceptions.raise_compiler_error("breakdown_stratum: unknown breakdown '" ~ dimension ~ "'") }}
    {%- endif -%}
    {{ strata[dimension] }}
{%- endmacro %}
