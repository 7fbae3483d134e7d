{#- SELECT: PHE's slope and relative index of inequality (PHEindicatormethods 2.1.0 phe_sii, metrics.md section 1.7)
    of an ORDERED dimension, one row per partition and measure (the contract of macros/inequality: partition columns,
    measure, estimate, se, ci_lower, ci_upper, n_groups), measures 'sii' and 'rii'. The points come from the WLS fit
    of inequality_sii_phe_fit (beta0, beta1; see there for the ridits, value_type, transform, se_scale and
    limit_columns), with m = multiplier:
      transform = false   sii = m beta1;                      rii = (beta0 + beta1) / beta0
      transform = true    sii = m (g(beta0 + beta1) - g(beta0)); rii = g(beta0 + beta1) / g(beta0)
                          (g = exp for rates, expit for proportions)
    and rii is inverted (1 / rii) when m < 0, as PHE does for a change of polarity. sii is fitted(least deprived) -
    fitted(most deprived), so it is negative when the indicator falls with affluence.
    Confidence intervals: the ANALYTIC closed form of metrics.md section 1.7 item 8 instead of PHE's Monte Carlo
    (whose draws it reproduces up to simulation noise, as beta1 is linear in the subgroup values): with
    se_b1 = sqrt(var_beta1) and S = beta1 -/+ z se_b1, z = z_value(confidence),
      transform = false   sii limits m S (se = |m| se_b1, on the sii's scale);
                          rii limits rii -/+ z se_rii with the delta-method
                          se_rii^2 = var_beta1 / beta0^2 + beta1^2 var_beta0 / beta0^4 - 2 beta1 cov_beta01 / beta0^3
                          (se = se_rii of the uninverted rii); when m < 0 the limits are 1 / those limits.
      transform = true    around the mid-point c = beta0 + beta1 / 2 (PHE's mapping of the simulated slopes):
                          sii limits m (g(c + S/2) - g(c - S/2)), rii limits g(c + S/2) / g(c - S/2), inverted when
                          m < 0 (se = se_b1, the slope's SE on the ln / logit scale, for both measures).
    ci_lower <= ci_upper always (PHE swaps them the same way). Subgroups with NULL estimate or population <= 0 are
    ignored; n_groups counts the rest. NULL rules: both estimates are NULL unless the partition's usable subgroups are
    exactly 1..K with 5 <= K <= 100 and every value lies in its type's domain (inequality_sii_phe_fit); se and the CI
    are NULL when any usable subgroup has no SE (se NULL and no usable limit_columns); rii is NULL when beta0 = 0
    (transform = false), the inverted rii when the uninverted one is 0, and the inverted rii's CI when the
    uninverted lower limit is <= 0. Every partition of the relation gets its two rows (n_groups = 0 when no subgroup
    is usable). Partition columns must not be NULL (the contract) nor be named like the contract's columns.
    confidence, value_type, transform, multiplier, se_scale and limit_columns are compile-time. -#}
{% macro inequality_sii_phe(relation, partition_by, confidence=0.95, value_type=0, transform=false, multiplier=1,
                            se_scale='estimate', limit_columns=none) -%}
    {{ return(adapter.dispatch('inequality_sii_phe', 'equity_qi')(
        relation, partition_by, confidence, value_type, transform, multiplier, se_scale, limit_columns
    )) }}
{%- endmacro %}


{% macro default__inequality_sii_phe(relation, partition_by, confidence=0.95, value_type=0, transform=false,
                                     multiplier=1, se_scale='estimate', limit_columns=none) -%}
    {%- set partition_columns = [partition_by] if partition_by is string else (partition_by or []) | list -%}
    {%- set partition_select = partition_columns | join(', ') ~ ', ' if partition_columns else '' -%}
    {%- set z = z_value(confidence) -%}
    {%- set m = 'cast(' ~ multiplier ~ ' as double)' -%}
    {%- set non_negative = 'case when @ < 0 then 0 else @ end' -%}
    {%- if value_type == 1 -%}
        {%- set g = 'exp(@)' -%}
    {%- else -%}
        {%- set g = '(1 / (1 + exp(-(@))))' -%}
    {%- endif -%}
    with

    sii_phe__fit as (
        {{ inequality_sii_phe_fit(relation, partition_by, value_type, transform, multiplier, se_scale,
                                  limit_columns) | indent(8) }}
    ),

    sii_phe__slope_limits as (
        select
            {{ partition_select }}
            n_groups,
            beta0,
            beta1,
            var_beta0,
            var_beta1,
            cov_beta01,
            sqrt({{ non_negative | replace('@', 'var_beta1') }}) as slope_se,
            beta1 - {{ z }} * sqrt({{ non_negative | replace('@', 'var_beta1') }}) as slope_lower,
            beta1 + {{ z }} * sqrt({{ non_negative | replace('@', 'var_beta1') }}) as slope_upper
        from sii_phe__fit
    ),

    -- sii and its limits on the output scale; rii and its limits before any inversion
    sii_phe__indices as (
        select
            {{ partition_select }}
            n_groups,
            {%- if not transform %}
            {{ m }} * beta1 as sii,
            cast({{ multiplier | abs }} as double) * slope_se as sii_se,
            {{ m }} * slope_lower as sii_limit_a,
            {{ m }} * slope_upper as sii_limit_b,
            (beta0 + beta1) / nullif(beta0, 0) as rii,
            case when beta0 <> 0 then sqrt({{ non_negative | replace('@',
                'var_beta1 / (beta0 * beta0) + beta1 * beta1 * var_beta0 / (beta0 * beta0 * beta0 * beta0)'
                ~ ' - 2 * beta1 * cov_beta01 / (beta0 * beta0 * beta0)') }}) end as rii_se
            {%- else %}
            {%- set upper_end = g | replace('@', 'beta0 + beta1') %}
            {%- set lower_end = g | replace('@', 'beta0') %}
            {%- set midpoint = '(beta0 + beta1 / 2)' %}
            {{ m }} * ({{ upper_end }} - {{ lower_end }}) as sii,
            slope_se as sii_se,
            {%- for bound in ['slope_lower', 'slope_upper'] %}
            {%- set upper_at = g | replace('@', midpoint ~ ' + ' ~ bound ~ ' / 2') %}
            {%- set lower_at = g | replace('@', midpoint ~ ' - ' ~ bound ~ ' / 2') %}
            {{ m }} * ({{ upper_at }} - {{ lower_at }}) as sii_limit_{{ 'a' if loop.first else 'b' }},
            {{ upper_at }} / nullif({{ lower_at }}, 0) as rii_limit_{{ 'a' if loop.first else 'b' }},
            {%- endfor %}
            {{ upper_end }} / nullif({{ lower_end }}, 0) as rii,
            slope_se as rii_se
            {%- endif %}
        from sii_phe__slope_limits
    ),

    {%- if not transform %}
    sii_phe__rii_limits as (
        select
            {{ partition_select }}
            n_groups,
            sii,
            sii_se,
            sii_limit_a,
            sii_limit_b,
            rii,
            rii_se,
            rii - {{ z }} * rii_se as rii_limit_a,
            rii + {{ z }} * rii_se as rii_limit_b
        from sii_phe__indices
    ),
    {%- set rii_source = 'sii_phe__rii_limits' %}
    {%- else %}
    {%- set rii_source = 'sii_phe__indices' %}
    {%- endif %}

    -- PHE inverts the rii for a negative multiplier; positive limits only, so that 1 / limit stays an interval
    sii_phe__oriented as (
        select
            {{ partition_select }}
            n_groups,
            sii,
            sii_se,
            sii_limit_a,
            sii_limit_b,
            {%- if multiplier < 0 %}
            1 / nullif(rii, 0) as rii,
            rii_se,
            case when rii_limit_a > 0 and rii_limit_b > 0 then 1 / rii_limit_a end as rii_limit_a,
            case when rii_limit_a > 0 and rii_limit_b > 0 then 1 / rii_limit_b end as rii_limit_b
            {%- else %}
            rii,
            rii_se,
            rii_limit_a,
            rii_limit_b
            {%- endif %}
        from {{ rii_source }}
    )

    select
        {{ partition_select }}
        'sii' as measure,
        sii as estimate,
        sii_se as se,
        least(sii_limit_a, sii_limit_b) as ci_lower,
        greatest(sii_limit_a, sii_limit_b) as ci_upper,
        n_groups
    from sii_phe__oriented

    union all

    select
        {{ partition_select }}
        'rii' as measure,
        rii as estimate,
        rii_se as se,
        least(rii_limit_a, rii_limit_b) as ci_lower,
        greatest(rii_limit_a, rii_limit_b) as ci_upper,
        n_groups
    from sii_phe__oriented
{%- endmacro %}
