{#- A select of the number of immunisation doses each row of `denominator` (person_id, period_end, birth_month_start) had
    from `codelist_ids`: distinct days with such a code, given from `from_months` to before `to_months` of age and on
    or before the period end. Columns person_id, period_end, n_doses; rows with no dose are absent. -#}
{% macro immunisation_doses(denominator, codelist_ids, from_months, to_months) %}
    select
        denominator_rows.person_id,
        denominator_rows.period_end,
        count(distinct doses.clinical_effective_date) as n_doses
    from {{ denominator }} as denominator_rows
    inner join {{ ref('int_clinical__coded_events') }} as doses
        on denominator_rows.person_id = doses.person_id
    where
        doses.codelist_id in ('{{ codelist_ids | join("', '") }}')
        and doses.clinical_effective_date <= denominator_rows.period_end
        and doses.clinical_effective_date
        >= cast({{ dbt.dateadd('month', from_months, 'denominator_rows.birth_month_start') }} as date)
        and doses.clinical_effective_date
        < cast({{ dbt.dateadd('month', to_months, 'denominator_rows.birth_month_start') }} as date)
    group by denominator_rows.person_id, denominator_rows.period_end
{% endmacro %}
