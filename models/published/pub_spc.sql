-- SPC series for BI and the QI report (published.spc): the XmR charts of every monthly indicator's rate ('value'),
-- SII and gap by IMD quintile ('sii', 'gap'), per practice, PCN, borough and the ICB (macro indicator_spc_charts,
-- the one rule fct_spc also uses), drawn from the published points alone: a rate withheld in
-- published.indicator_rates or an index withheld in published.inequality_indices is a NULL point that takes no
-- part in the chart, so no mean, moving range or limit carries a withheld value. suppression_reason says why a
-- point is missing.
with

charts as (

    {{ indicator_spc_charts(ref('pub_indicator_rates'), ref('pub_inequality_indices')) }}

),

point_reasons as (

    select
        indicator_id,
        'value' as measure,
        geography_level,
        geography_code,
        period_end,
        suppression_reason
    from {{ ref('pub_indicator_rates') }}
    where dimension = 'overall' and suppression_reason is not null
    union all
    select
        indicator_id,
        case measure when 'd' then 'gap' else measure end as measure,
        geography_level,
        geography_code,
        period_end,
        suppression_reason
    from {{ ref('pub_inequality_indices') }}
    where dimension = 'imd_quintile' and measure in ('sii', 'd') and suppression_reason is not null

),

published as (

    select
        charts.*,
        cast(point_reasons.suppression_reason as {{ dbt.type_string() }}) as suppression_reason
    from charts
    left join point_reasons
        on
            charts.indicator_id = point_reasons.indicator_id
            and charts.measure = point_reasons.measure
            and charts.geography_level = point_reasons.geography_level
            and charts.geography_code = point_reasons.geography_code
            and charts.period_end = point_reasons.period_end

)

select * from published
