{#- A select of registered persons at the indicator period ends, one row per (person, period end), from `intervals`:
    a relation or CTE name with the columns of int_indicators__population_intervals (or a subset of its rows, such as
    the women, or its intervals cut to a register; `extra_columns` of it are carried along). Columns: those of macro
    registered_population_columns, in its order (ages in completed months and years at the period end, macros age_in_months and
    age_in_years; stratum_id = the interval's person stratum with the ESP 2013 age band of that age), then
    `extra_columns`. Only persons born on or before the period end, aged `min_age_months` to `max_age_months`
    completed months (none = no bound; N to M years is N*12 to M*12+11 months), at every period end or only at the QOF
    year ends. The one place person-time is expanded to period ends: each denominator expands only its own intervals,
    and intervals that cannot reach the ages are dropped before the expansion (a person reaches N completed months
    no earlier than the 1st of the month N months after the birth month, and leaves M no later than a month after). -#}
{% macro population_at_period_ends(intervals, min_age_months=none, max_age_months=none, qof_year_ends_only=false,
    extra_columns=[]) %}
with

    periods as (

        select period_end
        from {{ ref('int_calendar__indicator_periods') }}
        {%- if qof_year_ends_only %}
            where is_qof_year_end
        {%- endif %}

    ),

    candidate_intervals as (

        select *
        from {{ intervals }}
        where
            1 = 1
            {%- if min_age_months is not none %}
                and valid_to > cast({{ dbt.dateadd(
                    'month', min_age_months, dbt.date_trunc('month', 'birth_month_start')
                ) }} as date)
            {%- endif %}
            {%- if max_age_months is not none %}
                and valid_from < cast({{ dbt.dateadd(
                    'month', max_age_months + 2, dbt.date_trunc('month', 'birth_month_start')
                ) }} as date)
            {%- endif %}

    ),

    aged_population as (

        select
            candidate_intervals.person_id,
            periods.period_end,
            candidate_intervals.organization_id,
            candidate_intervals.registration_date,
            candidate_intervals.birth_month_start,
            cast(
                {{ age_in_months('candidate_intervals.birth_month_start', 'periods.period_end') }} as {{ dbt.type_int() }}
            ) as age_months,
            cast(
                {{ age_in_years('candidate_intervals.birth_month_start', 'periods.period_end') }} as {{ dbt.type_int() }}
            ) as age_years,
            {%- for column in extra_columns %}
                candidate_intervals.{{ column }},
            {%- endfor %}
            candidate_intervals.person_stratum_id
        from candidate_intervals
        inner join periods
            on
                candidate_intervals.valid_from <= periods.period_end
                and candidate_intervals.valid_to > periods.period_end
        where candidate_intervals.birth_month_start <= periods.period_end

    ),

    age_bands as (

        select distinct
            age_band_number,
            age_lower,
            age_upper
        from {{ ref('int_indicators__strata') }}

    ),

    -- Every whole age from 0 to 120 with its ESP band, so the person-periods take their band by an equi-join (ages
    -- above 120 take 120's band, the open-ended 90+). The ages come from literals, not from the person-periods: a
    -- second read of those would make the engine materialise all of them first.
    ages as (

        select 0 as age_years
        {% for age in range(1, 121) %}
            union all
            select {{ age }} as age_years
        {% endfor %}

    ),

    age_band_of_age as (

        select
            ages.age_years,
            age_bands.age_band_number
        from ages
        inner join age_bands
            on
                ages.age_years >= age_bands.age_lower
                and (age_bands.age_upper is null or ages.age_years <= age_bands.age_upper)

    )

    select
        aged_population.person_id,
        aged_population.period_end,
        aged_population.organization_id,
        aged_population.registration_date,
        aged_population.birth_month_start,
        aged_population.age_months,
        aged_population.age_years,
        cast(
            {{ stratum_id('aged_population.person_stratum_id', 'age_band_of_age.age_band_number') }}
            as {{ dbt.type_int() }}
        ) as stratum_id
        {%- for column in extra_columns %},
            aged_population.{{ column }}
        {%- endfor %}
    from aged_population
    left join age_band_of_age
        on least(aged_population.age_years, 120) = age_band_of_age.age_years
    where
        1 = 1
        {%- if min_age_months is not none %}
            and aged_population.age_months >= {{ min_age_months }}
        {%- endif %}
        {%- if max_age_months is not none %}
            and aged_population.age_months <= {{ max_age_months }}
        {%- endif %}
{% endmacro %}
