{#- A select of the date on which a child's immunisation doses from `codelist_ids` reach `min_doses`, for each interval
    of int_indicators__population_intervals (whose date of birth sets the ages): distinct days with such a code,
    given from `from_months` to before `to_months` of age. Columns person_id, valid_from, valid_to (the interval's),
    reached_date (the `min_doses`-th dose day); intervals whose child never reaches it are absent. From
    max(valid_from, reached_date) to valid_to the child has the doses on or before the date. -#}
{% macro immunisation_doses(codelist_ids, from_months, to_months, min_doses) %}
    select
        person_id,
        valid_from,
        valid_to,
        dose_date as reached_date
    from (
        select
            population.person_id,
            population.valid_from,
            population.valid_to,
            doses.dose_date,
            row_number() over (
                partition by population.person_id, population.valid_from order by doses.dose_date
            ) as dose_number
        from {{ ref('int_indicators__population_intervals') }} as population
        inner join (
            select distinct
                person_id,
                clinical_effective_date as dose_date
            from {{ ref('int_clinical__coded_events') }}
            where codelist_id in ('{{ codelist_ids | join("', '") }}')
        ) as doses
            on population.person_id = doses.person_id
        where
            doses.dose_date >= cast({{ dbt.dateadd('month', from_months, 'population.date_of_birth') }} as date)
            and doses.dose_date < cast({{ dbt.dateadd('month', to_months, 'population.date_of_birth') }} as date)
    ) as numbered_doses
    where dose_number = {{ min_doses }}
{% endmacro %}
