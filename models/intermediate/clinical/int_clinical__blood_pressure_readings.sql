-- Blood pressure readings as systolic/diastolic pairs, one row per pair (discovery_schema.md section 2.3 "Blood
-- pressure", section 3 item 11). Systolic = codelist sbp_qof, diastolic = dbp_qof, from the usable coded events (so
-- values outside the staging plausibility bounds and quarantined rows never reach here). Pairing, in order:
-- (1) 'parent': a systolic and a diastolic under the same parent_observation_id; when a parent has several of either,
-- the k-th systolic with the k-th diastolic by observation id (id stands for entry order within a day);
-- (2) 'same_day': the readings still unpaired, per person and clinical_effective_date, again the k-th systolic with
-- the k-th diastolic by id. Pairs with a NULL value are then dropped. Unpaired readings are not in this model (an
-- orphan diastolic is flagged by int_data_quality__observation_checks).
with

blood_pressure_values as (

    select
        observation_id,
        person_id,
        patient_id,
        organization_id,
        clinical_effective_date,
        parent_observation_id,
        result_value,
        case codelist_id when 'sbp_qof' then 'systolic' else 'diastolic' end as measure
    from {{ ref('int_clinical__coded_events') }}
    where codelist_id in ('sbp_qof', 'dbp_qof')

),

parent_ranked_values as (

    select
        blood_pressure_values.*,
        row_number() over (
            partition by blood_pressure_values.parent_observation_id, blood_pressure_values.measure
            order by blood_pressure_values.observation_id
        ) as parent_rank
    from blood_pressure_values
    where blood_pressure_values.parent_observation_id is not null

),

parent_pairs as (

    select
        systolic_values.observation_id as systolic_observation_id,
        diastolic_values.observation_id as diastolic_observation_id,
        'parent' as pairing_method
    from parent_ranked_values as systolic_values
    inner join parent_ranked_values as diastolic_values
        on
            systolic_values.parent_observation_id = diastolic_values.parent_observation_id
            and systolic_values.parent_rank = diastolic_values.parent_rank
    where
        systolic_values.measure = 'systolic'
        and diastolic_values.measure = 'diastolic'

),

parent_paired_ids as (

    select systolic_observation_id as observation_id from parent_pairs
    union all
    select diastolic_observation_id as observation_id from parent_pairs

),

day_ranked_values as (

    select
        blood_pressure_values.*,
        row_number() over (
            partition by
                blood_pressure_values.person_id,
                blood_pressure_values.clinical_effective_date,
                blood_pressure_values.measure
            order by blood_pressure_values.observation_id
        ) as day_rank
    from blood_pressure_values
    left join parent_paired_ids
        on blood_pressure_values.observation_id = parent_paired_ids.observation_id
    where parent_paired_ids.observation_id is null

),

same_day_pairs as (

    select
        systolic_values.observation_id as systolic_observation_id,
        diastolic_values.observation_id as diastolic_observation_id,
        'same_day' as pairing_method
    from day_ranked_values as systolic_values
    inner join day_ranked_values as diastolic_values
        on
            systolic_values.person_id = diastolic_values.person_id
            and systolic_values.clinical_effective_date = diastolic_values.clinical_effective_date
            and systolic_values.day_rank = diastolic_values.day_rank
    where
        systolic_values.measure = 'systolic'
        and diastolic_values.measure = 'diastolic'

),

all_pairs as (

    select * from parent_pairs
    union all
    select * from same_day_pairs

),

valued_pairs as (

    select
        systolic_values.person_id,
        systolic_values.patient_id,
        systolic_values.organization_id,
        systolic_values.clinical_effective_date as reading_date,
        cast(round(systolic_values.result_value, 1) as decimal(4, 1)) as systolic_mmhg,
        cast(round(diastolic_values.result_value, 1) as decimal(4, 1)) as diastolic_mmhg,
        all_pairs.systolic_observation_id,
        all_pairs.diastolic_observation_id,
        all_pairs.pairing_method
    from all_pairs
    inner join blood_pressure_values as systolic_values
        on all_pairs.systolic_observation_id = systolic_values.observation_id
    inner join blood_pressure_values as diastolic_values
        on all_pairs.diastolic_observation_id = diastolic_values.observation_id
    where
        systolic_values.result_value is not null
        and diastolic_values.result_value is not null

),

blood_pressure_readings as (

    select
        valued_pairs.*,
        count(*) over (partition by valued_pairs.person_id, valued_pairs.reading_date) > 1 as has_multiple_pairs_on_day
    from valued_pairs

)

select * from blood_pressure_readings
