-- HbA1c results normalised to IFCC mmol/mol, one row per usable HbA1c observation (codelists ifcchbam_cod,
-- hba1c_tests); nothing is dropped: a value that cannot be used keeps its row with hba1c_mmol_mol NULL and an
-- invalid_reason. Rules (discovery_schema.md section 2.3 "HbA1c"): a value over 25 is IFCC; under 20 it is DCCT %
-- unless the unit text says mmol (then a very low IFCC value, as the staging rule hba1c_dcct decides: that rule,
-- action 'corrected', marks the rows of rule value_below_20 whose core code is an HbA1c code, and this model does the
-- correction); from 20 to 25
-- the code decides (in ifcchbam_cod: IFCC; a DCCT-aligned code of hba1c_tests, i.e. one whose term names the
-- Diabetes Control and Complications Trial: DCCT), then the unit text ('mmol': IFCC; '%' or 'per cent': DCCT), else
-- it is unresolved. IFCC = 10.929 x DCCT - 23.5, to one decimal. Valid: IFCC 20-200, DCCT 3-20 (and its IFCC value
-- 20-200); a negative value or one over 1000 is invalid whatever the unit.
with

hba1c_events as (

    select
        observation_id,
        person_id,
        patient_id,
        organization_id,
        clinical_effective_date,
        result_value,
        result_value_units,
        dq_reason,
        codelist_id,
        matched_code
    from {{ ref('int_clinical__coded_events') }}
    where codelist_id in ('ifcchbam_cod', 'hba1c_tests')

),

dcct_aligned_codes as (

    select distinct code
    from {{ ref('ref_codelist_codes') }}
    where
        codelist_id = 'hba1c_tests'
        and lower(term) like '%diabetes control and complications trial%'

),

hba1c_observations as (

    select
        hba1c_events.observation_id,
        hba1c_events.person_id,
        hba1c_events.patient_id,
        hba1c_events.organization_id,
        hba1c_events.clinical_effective_date,
        hba1c_events.result_value,
        hba1c_events.result_value_units,
        hba1c_events.dq_reason,
        max(case when hba1c_events.codelist_id = 'ifcchbam_cod' then 1 else 0 end) = 1 as is_qof_ifcc_code,
        max(case when dcct_aligned_codes.code is not null then 1 else 0 end) = 1 as is_dcct_aligned_code
    from hba1c_events
    left join dcct_aligned_codes
        on hba1c_events.matched_code = dcct_aligned_codes.code
    group by
        hba1c_events.observation_id,
        hba1c_events.person_id,
        hba1c_events.patient_id,
        hba1c_events.organization_id,
        hba1c_events.clinical_effective_date,
        hba1c_events.result_value,
        hba1c_events.result_value_units,
        hba1c_events.dq_reason

),

unit_rules as (

    select
        hba1c_observations.*,
        case
            when hba1c_observations.result_value is null then 'no_value'
            when hba1c_observations.result_value > 25 then 'value_above_25'
            when
                hba1c_observations.result_value < 20
                and lower(hba1c_observations.result_value_units) like '%mmol%'
                then 'value_below_20_unit_mmol'
            when hba1c_observations.result_value < 20 then 'value_below_20'
            when hba1c_observations.is_qof_ifcc_code then 'qof_ifcc_code'
            when hba1c_observations.is_dcct_aligned_code then 'dcct_aligned_code'
            when lower(hba1c_observations.result_value_units) like '%mmol%' then 'unit_text_mmol'
            when
                {{ dbt.position("'%'", 'hba1c_observations.result_value_units') }} > 0
                or lower(hba1c_observations.result_value_units) like '%per%cent%'
                then 'unit_text_percent'
            else 'unresolved'
        end as unit_rule
    from hba1c_observations

),

unit_systems as (

    select
        unit_rules.*,
        case
            when unit_rules.unit_rule in (
                'value_above_25', 'value_below_20_unit_mmol', 'qof_ifcc_code', 'unit_text_mmol'
            ) then 'ifcc'
            when unit_rules.unit_rule in ('value_below_20', 'dcct_aligned_code', 'unit_text_percent')
                then 'dcct'
        end as recorded_unit_system
    from unit_rules

),

converted_values as (

    select
        unit_systems.*,
        round(
            case unit_systems.recorded_unit_system
                when 'ifcc' then unit_systems.result_value
                when 'dcct' then 10.929 * unit_systems.result_value - 23.5
            end,
            1
        ) as ifcc_value
    from unit_systems

),

checked_values as (

    select
        converted_values.*,
        case
            when converted_values.result_value is null then 'no_value'
            when converted_values.result_value < 0 then 'negative_value'
            when converted_values.result_value > 1000 then 'value_over_1000'
            when converted_values.recorded_unit_system is null then 'unit_unresolved'
            when
                converted_values.recorded_unit_system = 'ifcc'
                and converted_values.result_value not between 20 and 200
                then 'ifcc_out_of_range'
            when
                converted_values.recorded_unit_system = 'dcct'
                and converted_values.result_value not between 3 and 20
                then 'dcct_out_of_range'
            when converted_values.ifcc_value not between 20 and 200 then 'converted_out_of_range'
        end as invalid_reason
    from converted_values

),

normalised_values as (

    select
        checked_values.*,
        case
            when checked_values.invalid_reason is null then cast(checked_values.ifcc_value as decimal(4, 1))
        end as hba1c_mmol_mol
    from checked_values

),

hba1c_readings as (

    select
        observation_id,
        person_id,
        patient_id,
        organization_id,
        clinical_effective_date,
        result_value as recorded_value,
        result_value_units as recorded_units,
        recorded_unit_system,
        unit_rule,
        hba1c_mmol_mol,
        is_qof_ifcc_code,
        invalid_reason,
        dq_reason
    from normalised_values

)

select * from hba1c_readings
