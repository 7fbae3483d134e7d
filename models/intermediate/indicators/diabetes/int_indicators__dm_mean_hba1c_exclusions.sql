-- DM_MEAN_HBA1C exclusions: patients with no HbA1c in the 12 months before the period end have no value to
-- average, so they leave the denominator (reason no_result_in_12_months; counted, not dropped).
with

exclusion_rows as (

    select
        denominator_rows.person_id,
        denominator_rows.period_end,
        'no_result_in_12_months' as exclusion_reason,
        1 as exclusion_priority,
        false as excludes_achievers
    from {{ ref('int_indicators__dm_mean_hba1c_denominator') }} as denominator_rows
    left join {{ ref('int_indicators__latest_hba1c') }} as latest_results
        on
            denominator_rows.person_id = latest_results.person_id
            and {{ interval_covers('latest_results', 'denominator_rows.period_end') }}
    where latest_results.person_id is null

)

select * from exclusion_rows
