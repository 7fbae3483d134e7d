{#- The XmR charts of every monthly indicator (NHS England Making Data Count, macro spc_xmr): a select of one row
    per (indicator, measure, geography, month end) with the chart's statistics and rule flags. Measures: the rate
    or mean itself ('value', the overall row of `rates`), its slope index of inequality by IMD quintile ('sii') and
    its absolute gap between the most and least deprived quintiles ('gap', measure 'd' of `indices`), for every
    practice, PCN, borough and the ICB. A NULL point takes no part in the chart, so the charts of published
    (disclosure-controlled) inputs are drawn from published points alone. Improvement direction: for 'value' the
    indicator's polarity; for 'sii' and 'gap' narrower is better, i.e. towards zero from the side the series sits on
    (its mean's sign). Limits come from each baseline segment: a practice that ran a QI project on the indicator is
    rebased at the project start ('before_<project>' then '<project>'); other series are one segment ('all'). Run
    lengths: vars spc_shift_length (7) and spc_trend_length (6), the NHS defaults. Used by fct_spc (marts) and
    pub_spc (published). -#}
{% macro indicator_spc_charts(rates, indices) %}
    {{ return(adapter.dispatch('indicator_spc_charts', 'equity_qi')(rates, indices)) }}
{% endmacro %}


{% macro default__indicator_spc_charts(rates, indices) %}
    with

    indicators as (

        select
            indicator_id,
            polarity,
            frequency
        from {{ ref('dim_indicator') }}

    ),

    monthly_periods as (

        select period_end
        from {{ ref('int_calendar__indicator_periods') }}
        where is_in_monthly_series

    ),

    rates as (

        select
            rates.indicator_id,
            'value' as measure,
            rates.geography_level,
            rates.geography_code,
            rates.period_end,
            rates.value
        from {{ rates }} as rates
        inner join monthly_periods
            on rates.period_end = monthly_periods.period_end
        where rates.dimension = 'overall'

    ),

    inequalities as (

        select
            indices.indicator_id,
            indices.geography_level,
            indices.geography_code,
            indices.period_end,
            indices.estimate as value,
            case indices.measure when 'd' then 'gap' else indices.measure end as measure
        from {{ indices }} as indices
        inner join monthly_periods
            on indices.period_end = monthly_periods.period_end
        where indices.dimension = 'imd_quintile' and indices.measure in ('sii', 'd')

    ),

    series_points as (

        select
            indicator_id,
            measure,
            geography_level,
            geography_code,
            period_end,
            value
        from rates
        union all
        select
            indicator_id,
            measure,
            geography_level,
            geography_code,
            period_end,
            value
        from inequalities

    ),

    series_directions as (

        select
            series_points.indicator_id,
            series_points.measure,
            series_points.geography_level,
            series_points.geography_code,
            case
                when series_points.measure = 'value' and max(indicators.polarity) = 'higher_is_better' then 'increase'
                when series_points.measure = 'value' then 'decrease'
                when avg(series_points.value) >= 0 then 'decrease'
                else 'increase'
            end as improvement_direction
        from series_points
        inner join indicators
            on series_points.indicator_id = indicators.indicator_id
        where indicators.frequency = 'monthly'
        group by
            series_points.indicator_id, series_points.measure, series_points.geography_level,
            series_points.geography_code

    ),

    -- Projects that rebase their practices' series: the first project on the indicator per practice.
    project_starts as (

        select
            projects.indicator_id,
            project_practices.practice_code,
            min(projects.start_date) as start_date,
            min(projects.project_id) as project_id
        -- the practice's own start when the project is staggered (an evaluation is one start cohort)
        from {{ ref('int_qi__evaluations') }} as projects
        inner join {{ ref('int_qi__project_practices') }} as project_practices
            on projects.evaluation_id = project_practices.evaluation_id
        where project_practices.role = 'intervention'
        group by projects.indicator_id, project_practices.practice_code

    ),

    chart_input as (

        select
            series_points.indicator_id,
            series_points.measure,
            series_points.geography_level,
            series_points.geography_code,
            series_points.period_end,
            series_points.value,
            series_directions.improvement_direction,
            case
                when project_starts.start_date is null then 'all'
                when series_points.period_end < project_starts.start_date
                    then {{ dbt.concat(["'before_'", 'project_starts.project_id']) }}
                else project_starts.project_id
            end as baseline_segment
        from series_points
        inner join series_directions
            on
                series_points.indicator_id = series_directions.indicator_id
                and series_points.measure = series_directions.measure
                and series_points.geography_level = series_directions.geography_level
                and series_points.geography_code = series_directions.geography_code
        left join project_starts
            on
                series_points.geography_level = 'practice'
                and series_points.geography_code = project_starts.practice_code
                and series_points.indicator_id = project_starts.indicator_id

    ),

    charts as (

        {{ spc_xmr(
            'chart_input',
            ['indicator_id', 'measure', 'geography_level', 'geography_code'],
            'period_end',
            'value',
            'improvement_direction',
            baseline_column='baseline_segment',
            shift_length=var('spc_shift_length'),
            trend_length=var('spc_trend_length')
        ) }}

    )

    select
        indicator_id,
        measure,
        geography_level,
        geography_code,
        period_end,
        cast(value as {{ type_double() }}) as value,
        improvement_direction,
        baseline_segment,
        cast(mean_value as {{ type_double() }}) as mean_value,
        cast(moving_range as {{ type_double() }}) as moving_range,
        cast(mean_moving_range as {{ type_double() }}) as mean_moving_range,
        cast(upper_process_limit as {{ type_double() }}) as upper_process_limit,
        cast(lower_process_limit as {{ type_double() }}) as lower_process_limit,
        cast(upper_two_sigma as {{ type_double() }}) as upper_two_sigma,
        cast(lower_two_sigma as {{ type_double() }}) as lower_two_sigma,
        is_limit_reliable,
        is_astronomical,
        is_shift,
        is_trend,
        is_two_of_three,
        is_special_cause,
        variation_type
    from charts
{% endmacro %}
