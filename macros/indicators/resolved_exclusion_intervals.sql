{#- A select of an indicator's exclusion intervals (`exclusions`: person_id, valid_from, valid_to, exclusion_reason,
    exclusion_priority, excludes_achievers; reasons may overlap) resolved into disjoint pieces per person, cut
    wherever any of them starts or ends: person_id, valid_from, valid_to (NULL = open), reason_if_not_achieved (the
    covering reason with the lowest exclusion_priority, ties by reason) and reason_if_achieved (the same among the
    reasons with excludes_achievers; NULL when none). Pieces no exclusion covers are left out. -#}
{% macro resolved_exclusion_intervals(exclusions) %}
    select
        covered_pieces.person_id,
        covered_pieces.valid_from,
        covered_pieces.valid_to,
        max(case when covered_pieces.rank_if_not_achieved = 1 then covered_pieces.exclusion_reason end)
            as reason_if_not_achieved,
        max(
            case
                when covered_pieces.rank_if_achieved = 1 and covered_pieces.excludes_achievers
                    then covered_pieces.exclusion_reason
            end
        ) as reason_if_achieved
    from (
        select
            pieces.person_id,
            pieces.valid_from,
            pieces.valid_to,
            exclusion_rows.exclusion_reason,
            exclusion_rows.excludes_achievers,
            row_number() over (
                partition by pieces.person_id, pieces.valid_from
                order by exclusion_rows.exclusion_priority, exclusion_rows.exclusion_reason
            ) as rank_if_not_achieved,
            row_number() over (
                partition by pieces.person_id, pieces.valid_from
                order by
                    case when exclusion_rows.excludes_achievers then 0 else 1 end,
                    exclusion_rows.exclusion_priority,
                    exclusion_rows.exclusion_reason
            ) as rank_if_achieved
        from (
            select
                boundaries.person_id,
                boundaries.boundary_date as valid_from,
                lead(boundaries.boundary_date) over (
                    partition by boundaries.person_id order by boundaries.boundary_date
                ) as valid_to
            from (
                select
                    person_id,
                    valid_from as boundary_date
                from {{ exclusions }}
                union
                select
                    person_id,
                    valid_to as boundary_date
                from {{ exclusions }}
                where valid_to is not null
            ) as boundaries
        ) as pieces
        inner join {{ exclusions }} as exclusion_rows
            on
                pieces.person_id = exclusion_rows.person_id
                and {{ interval_covers('exclusion_rows', 'pieces.valid_from') }}
    ) as covered_pieces
    group by covered_pieces.person_id, covered_pieces.valid_from, covered_pieces.valid_to
{% endmacro %}
