-- dim_practice.registered_patients and fct_practice_list_size.registered_patients are two routes to the same number
-- (the demographics model and the registrations model): any practice where they differ fails.
select
    dim_practice.practice_code,
    dim_practice.registered_patients as registered_patients_in_dim_practice,
    fct_practice_list_size.registered_patients as registered_patients_in_list_size
from {{ ref('dim_practice') }} as dim_practice
inner join {{ ref('fct_practice_list_size') }} as fct_practice_list_size
    on dim_practice.practice_code = fct_practice_list_size.practice_code
where dim_practice.registered_patients != fct_practice_list_size.registered_patients
