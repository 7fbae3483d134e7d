-- Registered list size of each GP practice at the as-of date: the persons int_registrations__gms_registered_persons
-- places at the practice (latest started usable regular/GMS registration, open and alive at that date; quarantined
-- rows are already left out there). Every practice in the extract has a row, with 0 when nobody is registered.
with

practices as (

    select
        id as organization_id,
        ods_code as practice_code,
        name as practice_name
    from {{ ref('stg_discovery__organization') }}
    where type_code = 'PR'

),

registered_counts as (

    select
        organization_id,
        count(distinct person_id) as registered_patients
    from {{ ref('int_registrations__gms_registered_persons') }}
    group by organization_id

),

list_sizes as (

    select
        cast(practices.practice_code as {{ dbt.type_string() }}) as practice_code,
        cast(practices.practice_name as {{ dbt.type_string() }}) as practice_name,
        cast(coalesce(registered_counts.registered_patients, 0) as {{ dbt.type_bigint() }}) as registered_patients,
        {{ as_of_date() }} as as_of_date
    from practices
    left join registered_counts on practices.organization_id = registered_counts.organization_id

)

select * from list_sizes
