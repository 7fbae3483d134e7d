-- Within-practice and between-practice inequality for BI (published.inequality_within_practice):
-- fct_inequality_decomposition, per indicator, borough and QOF year end: the outcome's variance split into
-- between-practice and within-practice parts, and the deprivation gradient (SII on the IMD-quintile ridit) split
-- into a within-practice slope (patients of one practice compared) and a between-practice slope. Each practice's
-- own gaps are the practice rows of published.inequality_indices. Estimates rest on a borough's patients; a
-- borough with 1 to 7 patients in the denominator has them withheld ('small count'). Patients are rounded to 5.
{% set estimates = [
    'mean_value', 'total_variance', 'between_practice_variance', 'within_practice_variance',
    'between_practice_share', 'sii_total', 'sii_within_practice', 'sii_between_practice', 'within_practice_weight',
    'within_practice_contribution', 'between_practice_contribution'
] %}
with

decomposition as (

    select
        indicator_id,
        period_end,
        borough_code,
        n_patients,
        n_practices,
        {{ estimates | join(', ') }},
        coalesce({{ sdc_is_redacted('n_patients') }}, false) as is_small
    from {{ ref('fct_inequality_decomposition') }}

),

published as (

    select
        indicator_id,
        period_end,
        borough_code,
        {{ sdc_rounded_count('n_patients') }} as n_patients,
        n_practices as contributing_practices,
        {%- for estimate in estimates %}
        cast(case when not is_small then {{ estimate }} end as {{ type_double() }}) as {{ estimate }},
        {%- endfor %}
        cast(case when is_small then 'small count' end as {{ dbt.type_string() }}) as suppression_reason
    from decomposition

)

select * from published
