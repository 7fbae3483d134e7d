-- The inequality measures of fct_inequality_indices (seed ref_inequality_measures): what each is, where it applies,
-- its sign convention and confidence interval method.
select
    cast(measure as {{ dbt.type_string() }}) as measure,
    cast(title as {{ dbt.type_string() }}) as measure_name,
    cast(measure_type as {{ dbt.type_string() }}) as measure_type,
    cast(dimension_type as {{ dbt.type_string() }}) as dimension_type,
    cast(value_types as {{ dbt.type_string() }}) as value_types,
    cast(frequency as {{ dbt.type_string() }}) as frequency,
    cast(sign_convention as {{ dbt.type_string() }}) as sign_convention,
    cast(ci_method as {{ dbt.type_string() }}) as ci_method,
    cast(source as {{ dbt.type_string() }}) as source,
    cast(sort_order as {{ dbt.type_int() }}) as sort_order
from {{ ref('ref_inequality_measures') }}
