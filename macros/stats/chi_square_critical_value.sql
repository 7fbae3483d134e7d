{#- SQL numeric: the upper 0.1% point of the chi-square distribution (alpha 0.001) for `degrees_of_freedom` (an
    integer expression, 1-10; NULL otherwise). SQL engines have no chi-square quantile function, so the ten values
    are inlined (R: qchisq(0.999, df), rounded to 3 decimals). -#}
{% macro chi_square_critical_value_999(degrees_of_freedom) -%}
    case {{ degrees_of_freedom }}
        when 1 then 10.828
        when 2 then 13.816
        when 3 then 16.266
        when 4 then 18.467
        when 5 then 20.515
        when 6 then 22.458
        when 7 then 24.322
        when 8 then 26.124
        when 9 then 27.877
        when 10 then 29.588
    end
{%- endmacro %}
