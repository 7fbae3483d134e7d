{#- A select of one indicator's patient outcomes from its three component models, one row per (person, period end) of
    `denominator`, with the denominator's practice and stratum: in_numerator (a row of `numerator`), value (the
    numerator's value, for mean indicators), the exclusion that applies (the `exclusions` row with the lowest exclusion_priority among those that apply: rules with
    excludes_achievers always, personalised care adjustments only when the numerator is not met — QOF's rule that an
    achiever is never excepted), and in_denominator = no exclusion applies. `numerator` has columns person_id,
    period_end, value; `exclusions` person_id, period_end, exclusion_reason, exclusion_priority, excludes_achievers
    (several rows per person and period allowed). -#}
{% macro indicator_outcomes(indicator_id, denominator, numerator, exclusions) %}
    select
        cast('{{ indicator_id }}' as {{ dbt.type_string() }}) as indicator_id,
        denominator_rows.person_id,
        denominator_rows.period_end,
        denominator_rows.organization_id,
        denominator_rows.age_years,
        denominator_rows.stratum_id,
        numerator_rows.person_id is not null as in_numerator,
        cast(numerator_rows.value as {{ type_double() }}) as value,
        applied_exclusions.exclusion_reason,
        applied_exclusions.exclusion_reason is null as in_denominator
    from {{ ref(denominator) }} as denominator_rows
    left join {{ ref(numerator) }} as numerator_rows
        on
            denominator_rows.person_id = numerator_rows.person_id
            and denominator_rows.period_end = numerator_rows.period_end
    left join (
        select
            exclusion_rows.person_id,
            exclusion_rows.period_end,
            exclusion_rows.exclusion_reason,
            row_number() over (
                partition by exclusion_rows.person_id, exclusion_rows.period_end
                order by exclusion_rows.exclusion_priority, exclusion_rows.exclusion_reason
            ) as exclusion_rank
        from {{ ref(exclusions) }} as exclusion_rows
        left join {{ ref(numerator) }} as achievers
            on
                exclusion_rows.person_id = achievers.person_id
                and exclusion_rows.period_end = achievers.period_end
        where exclusion_rows.excludes_achievers or achievers.person_id is null
    ) as applied_exclusions
        on
            denominator_rows.person_id = applied_exclusions.person_id
            and denominator_rows.period_end = applied_exclusions.period_end
            and applied_exclusions.exclusion_rank = 1
{% endmacro %}
