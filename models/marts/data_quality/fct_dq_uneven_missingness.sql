-- Does missingness differ between groups? For each practice (and all practices together, geography_level 'icb') at
-- each QOF year end, two checks, one row per group:
--   ethnicity_not_recorded_by_imd_quintile  share with no ethnicity code in each IMD quintile (1-5; persons with an
--                                           unknown LSOA cannot be placed and are left out); 'not stated' is an
--                                           answer, so it counts as recorded;
--   lsoa_unknown_by_ethnicity_group         share with no valid LSOA in each ONS 5+1 ethnic group (plus 'Not
--                                           recorded').
-- Each group is compared with the rest of the practice by a pooled two-proportion z statistic. A group is uneven
-- when |z| >= var uneven_missingness_min_z (3.0: about p < 0.003, two-sided, leaving room for the several groups
-- tested), the shares differ by at least var uneven_missingness_min_difference (0.01, one percentage point, so
-- trivial differences in large lists are not flagged) and both sides have at least var
-- uneven_missingness_min_denominator persons (30): it points at the group. Whether missingness differs at all is
-- the chi-square test of homogeneity over the groups with at least that many persons: is_practice_flagged when the
-- statistic exceeds the 0.1% point of chi-square (df = groups - 1) and the shares span at least the minimum
-- difference. One test per practice, year and check; a gradient spread over several groups (no single group far
-- from the rest) is found too.
{%- set min_z = var('uneven_missingness_min_z', 3.0) %}
{%- set min_difference = var('uneven_missingness_min_difference', 0.01) %}
{%- set min_denominator = var('uneven_missingness_min_denominator', 30) %}
with

completeness as (

    select * from {{ ref('fct_dq_recording_completeness') }}

),

icb as (

    select ods_code as icb_code
    from {{ ref('stg_discovery__organization') }}
    where type_code = 'ICB'

),

group_counts as (

    select
        period_end,
        'practice' as geography_level,
        practice_code as geography_code,
        'ethnicity_not_recorded_by_imd_quintile' as check_name,
        imd_quintile as stratum,
        sum(registered_patients) as denominator,
        sum(ethnicity_not_recorded) as missing
    from completeness
    where imd_quintile != 'unknown'
    group by period_end, practice_code, imd_quintile

    union all

    select
        period_end,
        'practice' as geography_level,
        practice_code as geography_code,
        'lsoa_unknown_by_ethnicity_group' as check_name,
        ethnicity_group_5 as stratum,
        sum(registered_patients) as denominator,
        sum(lsoa_unknown) as missing
    from completeness
    group by period_end, practice_code, ethnicity_group_5

),

all_group_counts as (

    select * from group_counts

    union all

    select
        group_counts.period_end,
        'icb' as geography_level,
        coalesce(min(icb.icb_code), 'ALL') as geography_code,
        group_counts.check_name,
        group_counts.stratum,
        sum(group_counts.denominator) as denominator,
        sum(group_counts.missing) as missing
    from group_counts
    left join icb on 1 = 1
    group by group_counts.period_end, group_counts.check_name, group_counts.stratum

),

compared_with_rest as (

    select
        *,
        sum(denominator) over (
            partition by period_end, geography_level, geography_code, check_name
        ) - denominator as rest_denominator,
        sum(missing) over (
            partition by period_end, geography_level, geography_code, check_name
        ) - missing as rest_missing
    from all_group_counts

),

shares as (

    select
        *,
        1.0 * missing / denominator as missing_share,
        case when rest_denominator > 0 then 1.0 * rest_missing / rest_denominator end as rest_missing_share,
        case
            when rest_denominator > 0 then 1.0 * (missing + rest_missing) / (denominator + rest_denominator)
        end as pooled_share
    from compared_with_rest

),

tested as (

    select
        *,
        missing_share - rest_missing_share as difference,
        case
            when pooled_share > 0 and pooled_share < 1
                then
                    (missing_share - rest_missing_share)
                    / sqrt(pooled_share * (1 - pooled_share) * (1.0 / denominator + 1.0 / rest_denominator))
        end as z_statistic
    from shares

),

flagged as (

    select
        *,
        coalesce(
            abs(z_statistic) >= {{ min_z }}
            and abs(difference) >= {{ min_difference }}
            and denominator >= {{ min_denominator }}
            and rest_denominator >= {{ min_denominator }},
            false
        ) as is_uneven
    from tested

),

chi_square_tests as (

    -- groups smaller than the minimum denominator are left out of the test (sparse cells)
    select
        period_end,
        geography_level,
        geography_code,
        check_name,
        count(*) - 1 as degrees_of_freedom,
        sum(denominator * (missing_share - group_pooled_share) * (missing_share - group_pooled_share))
        / nullif(max(group_pooled_share) * (1 - max(group_pooled_share)), 0) as chi_square_statistic,
        max(missing_share) - min(missing_share) as share_range
    from (
        select
            *,
            sum(missing) over (partition by period_end, geography_level, geography_code, check_name)
            * 1.0 / sum(denominator) over (
                partition by period_end, geography_level, geography_code, check_name
            ) as group_pooled_share
        from flagged
        where denominator >= {{ min_denominator }}
    ) as testable_groups
    group by period_end, geography_level, geography_code, check_name

),

flagged_with_practice as (

    select
        flagged.*,
        chi_square_tests.chi_square_statistic,
        chi_square_tests.degrees_of_freedom,
        coalesce(
            chi_square_tests.chi_square_statistic
            > {{ chi_square_critical_value_999('chi_square_tests.degrees_of_freedom') }}
            and chi_square_tests.share_range >= {{ min_difference }},
            false
        ) as is_practice_flagged
    from flagged
    left join chi_square_tests
        on
            flagged.period_end = chi_square_tests.period_end
            and flagged.geography_level = chi_square_tests.geography_level
            and flagged.geography_code = chi_square_tests.geography_code
            and flagged.check_name = chi_square_tests.check_name

),

uneven_missingness as (

    select
        period_end,
        cast(geography_level as {{ dbt.type_string() }}) as geography_level,
        cast(geography_code as {{ dbt.type_string() }}) as geography_code,
        cast(check_name as {{ dbt.type_string() }}) as check_name,
        cast(stratum as {{ dbt.type_string() }}) as stratum,
        cast(denominator as {{ dbt.type_bigint() }}) as denominator,
        cast(missing as {{ dbt.type_bigint() }}) as missing,
        cast(missing_share as {{ dbt.type_float() }}) as missing_share,
        cast(rest_denominator as {{ dbt.type_bigint() }}) as rest_denominator,
        cast(rest_missing as {{ dbt.type_bigint() }}) as rest_missing,
        cast(rest_missing_share as {{ dbt.type_float() }}) as rest_missing_share,
        cast(difference as {{ dbt.type_float() }}) as difference,
        cast(z_statistic as {{ dbt.type_float() }}) as z_statistic,
        is_uneven,
        cast(chi_square_statistic as {{ dbt.type_float() }}) as chi_square_statistic,
        cast(degrees_of_freedom as {{ dbt.type_int() }}) as degrees_of_freedom,
        is_practice_flagged
    from flagged_with_practice

)

select * from uneven_missingness
