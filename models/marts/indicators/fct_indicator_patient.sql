-- One row per (indicator, period end, patient) in the indicator's denominator population: whether the patient counts
-- in the denominator and the numerator, why not (exclusion_reason), the value of mean indicators, and the patient's
-- stratifiers at the period end (macro population_at_period_ends stratifies each person-period once; the
-- outcomes carry its stratum_id, labelled from int_indicators__strata; the LSOA is the address period's covering the
-- period end). A view: the person-periods are stored once, narrow, in int_indicators__patient_outcomes; the rate
-- marts aggregate that, not this. Pseudonymous: patient_key only.
with

outcomes as (

    select * from {{ ref('int_indicators__patient_outcomes') }}

),

indicators as (

    select
        indicator_id,
        value_type
    from {{ ref('ref_indicators') }}

),

periods as (

    select
        period_end,
        is_qof_year_end
    from {{ ref('int_calendar__indicator_periods') }}

),

strata as (

    select
        stratum_id,
        sex,
        age_band,
        ethnicity_group_5,
        ethnicity_group_16,
        imd_decile,
        imd_quintile,
        is_core20
    from {{ ref('int_indicators__strata') }}

),

addresses as (

    select
        person_id,
        period_start,
        period_end,
        lsoa_code
    from {{ ref('int_demographics__address_periods') }}

),

practices as (

    select
        id as organization_id,
        ods_code as practice_code
    from {{ ref('stg_discovery__organization') }}

),

indicator_patients as (

    select
        cast(outcomes.indicator_id as {{ dbt.type_string() }}) as indicator_id,
        outcomes.period_end,
        periods.is_qof_year_end,
        cast({{ patient_key('outcomes.person_id') }} as {{ dbt.type_string() }}) as patient_key,
        cast(practices.practice_code as {{ dbt.type_string() }}) as practice_code,
        outcomes.in_denominator,
        outcomes.in_numerator,
        cast(outcomes.exclusion_reason as {{ dbt.type_string() }}) as exclusion_reason,
        cast(case when indicators.value_type = 'mean' then outcomes.value end as {{ type_double() }}) as value,
        outcomes.age_years,
        strata.age_band,
        cast(strata.sex as {{ dbt.type_string() }}) as sex,
        strata.ethnicity_group_5,
        strata.ethnicity_group_16,
        strata.imd_decile,
        strata.imd_quintile,
        strata.is_core20,
        cast(addresses.lsoa_code as {{ dbt.type_string() }}) as lsoa_code
    from outcomes
    inner join periods
        on outcomes.period_end = periods.period_end
    inner join indicators
        on outcomes.indicator_id = indicators.indicator_id
    inner join strata
        on outcomes.stratum_id = strata.stratum_id
    left join practices
        on outcomes.organization_id = practices.organization_id
    left join addresses
        on
            outcomes.person_id = addresses.person_id
            and {{ period_covers('addresses', 'outcomes.period_end') }}

)

select * from indicator_patients
