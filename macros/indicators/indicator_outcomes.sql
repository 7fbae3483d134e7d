{#- A select of one indicator's patient outcomes from its three component models, one row per (person, period end) of
    `denominator`, with the denominator's practice and stratum: in_numerator (a `numerator` interval covers the period
    end), value (the numerator's value, for mean indicators), the exclusion that applies and in_denominator = no
    exclusion applies. `numerator` and `exclusions` are status intervals (person_id, valid_from, valid_to; the
    exclusions with exclusion_reason, exclusion_priority, excludes_achievers, several reasons may overlap). The
    exclusion is the covering one with the lowest exclusion_priority among those that apply: rules with
    excludes_achievers always, personalised care adjustments only when the numerator is not met (QOF's rule that an
    achiever is never excepted). The exclusions are first resolved into disjoint pieces per person carrying the
    reason for a non-achiever and for an achiever (macro resolved_exclusion_intervals), so each person-period meets
    at most one numerator and one exclusion row. -#}
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
        case
            when numerator_rows.person_id is null then applied_exclusions.reason_if_not_achieved
            else applied_exclusions.reason_if_achieved
        end as exclusion_reason,
        case
            when numerator_rows.person_id is null then applied_exclusions.reason_if_not_achieved
            else applied_exclusions.reason_if_achieved
        end is null as in_denominator
    from {{ ref(denominator) }} as denominator_rows
    left join {{ ref(numerator) }} as numerator_rows
        on
            denominator_rows.person_id = numerator_rows.person_id
            and {{ interval_covers('numerator_rows', 'denominator_rows.period_end') }}
    left join ({{ resolved_exclusion_intervals(ref(exclusions)) }}) as applied_exclusions
        on
            denominator_rows.person_id = applied_exclusions.person_id
            and {{ interval_covers('applied_exclusions', 'denominator_rows.period_end') }}
{% endmacro %}
