-- dim_practice.list_size and fct_practice_list_size.registered_patients are two routes to the same number (the
-- demographics model and the registrations model): any practice where they differ fails.
select
    dim_practice.practice_code,
    dim_practice.list_size,
    fct_practice_list_size.registered_patients
from {{ ref('dim_practice') }} as dim_practice
inner join {{ ref('fct_practice_list_size') }} as fct_practice_list_size
    on dim_practice.practice_code = fct_practice_list_size.practice_ods_code
where dim_practice.list_size != fct_practice_list_size.registered_patients
