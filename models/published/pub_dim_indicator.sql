-- The indicators for BI (published.dim_indicator): dim_indicator, one row per indicator with its definition,
-- polarity, frequency and codelists. Reference metadata: no person data.
with

indicators as (

    select
        indicator_id,
        indicator_name,
        clinical_area,
        value_type,
        unit,
        polarity,
        frequency,
        equivalence_margin,
        standard,
        denominator_rule,
        numerator_rule,
        exclusion_rules,
        codelist_versions,
        n_codelists,
        sort_order
    from {{ ref('dim_indicator') }}

)

select
    indicator_id,
    indicator_name,
    clinical_area,
    value_type,
    unit,
    polarity,
    frequency,
    equivalence_margin,
    standard,
    denominator_rule,
    numerator_rule,
    exclusion_rules,
    codelist_versions,
    n_codelists as codelists,
    sort_order
from indicators
