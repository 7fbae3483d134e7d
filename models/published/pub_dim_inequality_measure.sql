-- The inequality measures for BI (published.dim_inequality_measure): dim_inequality_measure, one row per measure
-- of published.inequality_indices with its name, type, sign convention, interval method and source. Reference
-- metadata: no person data.
with

measures as (

    select
        measure,
        measure_name,
        measure_type,
        dimension_type,
        value_types,
        frequency,
        sign_convention,
        ci_method,
        source,
        sort_order
    from {{ ref('dim_inequality_measure') }}

)

select * from measures
