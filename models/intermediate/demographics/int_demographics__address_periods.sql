-- Each person's address history as non-overlapping periods with the LSOA and its deprivation, one row per address
-- row (patient_address) with a start date. A person's addresses come from all their patient records; when they
-- overlap, the latest started wins (ties: the higher id), so an address counts from start_date until the first of
-- its own end_date and the start of the person's next address (period_end exclusive, NULL while current). An
-- address whose LSOA staging quarantined (missing, malformed, Welsh/Scottish, unknown) keeps its period with a NULL
-- lsoa_code and its reason: while the person lives there their deprivation is unknown, and an older address must
-- not stand in for it. Addresses outside NEL keep their LSOA and IMD (flagged lsoa_outside_nel in staging).
with

addresses as (

    select
        id as address_id,
        person_id,
        patient_id,
        start_date,
        end_date,
        lsoa_2011_code,
        dq_reason
    from {{ ref('stg_discovery__patient_address') }}
    where start_date is not null

),

addresses_with_next_start as (

    select
        *,
        lead(start_date) over (partition by person_id order by start_date, address_id) as next_address_start
    from addresses

),

address_periods as (

    select
        address_id,
        person_id,
        patient_id,
        start_date as period_start,
        case
            when next_address_start is not null and (end_date is null or next_address_start < end_date)
                then next_address_start
            when end_date is not null
                then greatest(start_date, end_date)
        end as period_end,
        case when {{ dq_row_is_usable('dq_reason') }} then lsoa_2011_code end as lsoa_code,
        dq_reason as lsoa_dq_reason
    from addresses_with_next_start

),

lsoas as (

    select
        lsoa_code,
        imd_score,
        imd_decile,
        imd_quintile,
        nel_imd_quintile,
        is_core20,
        is_nel
    from {{ ref('int_deprivation__lsoas') }}

),

address_periods_with_deprivation as (

    select
        address_periods.*,
        lsoas.imd_score,
        lsoas.imd_decile,
        lsoas.imd_quintile,
        lsoas.nel_imd_quintile,
        lsoas.is_core20,
        lsoas.is_nel
    from address_periods
    left join lsoas
        on address_periods.lsoa_code = lsoas.lsoa_code

)

select * from address_periods_with_deprivation
