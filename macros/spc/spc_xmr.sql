{#- A complete SQL select (no WITH clause: nested subqueries, so it can be a model body, a CTE body or a subquery):
    an XmR (individuals) statistical process control chart with the NHS England "Making Data Count" (MDC) rules,
    one output row per input row of `relation`: every input column, then
      segment             the baseline segment (`baseline_column`'s value; the integer 1 when baseline_column is none)
      mean_value          mean of the segment's values (the centre line)
      moving_range        |x_t - x_(t-1)| between consecutive points of the segment; NULL for its first point
      mean_moving_range   mean of the segment's moving ranges (no outlier screening, as the MDC Excel tool)
      upper_process_limit / lower_process_limit   mean_value +/- 2.66 * mean_moving_range (3 sigma)
      upper_two_sigma / lower_two_sigma           mean_value +/- (2/3) * 2.66 * mean_moving_range (2 sigma)
      is_limit_reliable   the segment has >= min_baseline_points points (MDC: 15-20 baseline points; fewer = trial
                          limits)
      is_astronomical     the point is above the upper or below the lower process limit (strictly)
      is_shift            part of a run of >= shift_length consecutive points strictly on the same side of the mean
                          (a point exactly on the mean breaks a run)
      is_trend            part of a run of >= trend_length consecutive points each strictly above (or each strictly
                          below) the previous one; an equal consecutive value breaks the run; may cross the mean
      is_two_of_three     the point is beyond a 2-sigma line (strictly; a point beyond the process limit counts, MDC
                          rule since late 2023) and belongs to a window of 3 consecutive points that are all on that
                          side of the mean with at least 2 of them beyond that same 2-sigma line (the MDC Single
                          Chart tool: only the points beyond 2 sigma are flagged, not the third point)
      is_special_cause    any of the four rules
      variation_type      'common_cause'; else by improvement_direction_column ('increase' / 'decrease', compared
                          lower-cased): 'special_cause_improvement' when a rule flagging the point signals the
                          improving direction (a high point: above the upper limit, in a shift above the mean, in an
                          increasing trend, beyond the upper 2-sigma line; low points mirror it), else
                          'special_cause_concern'; a point flagged both ways is an improvement (MDC Single Chart
                          tool); 'special_cause_neither' when the direction is 'neither', NULL or anything else.
    A series is one combination of the `partition_by` columns, ordered by `order_by`; limits, moving ranges and runs
    are computed per (series, segment), and no run or moving range crosses a segment boundary (rebasing). Points are
    the rows with a non-NULL value.
    NULL rules: limits, mean_moving_range and the two-sigma lines are NULL when the segment has fewer than 2 points
    (is_astronomical and is_two_of_three are then false); a row whose value is NULL takes no part in any calculation
    (moving ranges and runs join the points either side of it) and gets NULL in every added column but segment.
    Requirements: (series, order_by) unique (duplicates would multiply rows in the final join); partition_by and
    order_by are column names of relation (not expressions); a segment should be one contiguous period.
    Rule flags are computed for every segment whatever its size: filter on is_limit_reliable to show only limits
    from >= min_baseline_points points. Compile-time integers: shift_length >= 2, trend_length >= 2,
    min_baseline_points >= 1. -#}
{% macro spc_xmr(relation, partition_by, order_by, value_column, improvement_direction_column, baseline_column=none,
    shift_length=7, trend_length=6, min_baseline_points=15) -%}
    {{ return(adapter.dispatch('spc_xmr', 'equity_qi')(relation, partition_by, order_by, value_column,
        improvement_direction_column, baseline_column, shift_length, trend_length, min_baseline_points)) }}
{%- endmacro %}


{% macro default__spc_xmr(relation, partition_by, order_by, value_column, improvement_direction_column,
    baseline_column=none, shift_length=7, trend_length=6, min_baseline_points=15) -%}
    {%- for name, number, minimum in [('shift_length', shift_length, 2), ('trend_length', trend_length, 2),
        ('min_baseline_points', min_baseline_points, 1)] -%}
        {%- if number is not integer or number is boolean or number < minimum -%}
            {{ exceptions.raise_compiler_error(
                "spc_xmr: " ~ name ~ " must be an integer >= " ~ minimum ~ ", got " ~ number
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if partition_by is none or partition_by == '' -%}
        {%- set series = [] -%}
    {%- elif partition_by is string -%}
        {%- set series = [partition_by] -%}
    {%- else -%}
        {%- set series = partition_by | list -%}
    {%- endif -%}
    {#- the window partition of one (series, segment); rows with a NULL value form their own partition -#}
    {%- set by_segment = 'partition by ' ~ ((series + ['_spc_segment', '_spc_has_value']) | join(', ')) -%}
    {%- set ordered = by_segment ~ ' order by _spc_order' -%}
    {%- set three_sigma = 'cast(2.66 as double)' -%}
    {%- set two_sigma = '(2 * cast(2.66 as double) / 3)' -%}
    select
        _spc_i.*,
        _spc_s._spc_segment as segment,
        _spc_s.mean_value,
        _spc_s.moving_range,
        _spc_s.mean_moving_range,
        _spc_s.upper_process_limit,
        _spc_s.lower_process_limit,
        _spc_s.upper_two_sigma,
        _spc_s.lower_two_sigma,
        _spc_s.is_limit_reliable,
        _spc_s.is_astronomical,
        _spc_s.is_shift,
        _spc_s.is_trend,
        _spc_s.is_two_of_three,
        _spc_s.is_special_cause,
        case
            when _spc_s._spc_has_value = 0 then null
            when not _spc_s.is_special_cause then 'common_cause'
            when _spc_s._spc_direction = 'increase' and _spc_s._spc_high = 1 then 'special_cause_improvement'
            when _spc_s._spc_direction = 'increase' then 'special_cause_concern'
            when _spc_s._spc_direction = 'decrease' and _spc_s._spc_low = 1 then 'special_cause_improvement'
            when _spc_s._spc_direction = 'decrease' then 'special_cause_concern'
            else 'special_cause_neither'
        end as variation_type
    from (select * from {{ relation }}) as _spc_i
    left join (
        {#- 7. the flags as booleans (NULL for rows without a value) and the direction each flagged point signals -#}
        select
            _spc_l6.*,
            case when _spc_has_value = 1 then _spc_n >= {{ min_baseline_points }} end as is_limit_reliable,
            case when _spc_has_value = 1 then _spc_astro_up = 1 or _spc_astro_down = 1 end as is_astronomical,
            case when _spc_has_value = 1 then _spc_shift = 1 end as is_shift,
            case when _spc_has_value = 1 then _spc_trend_up = 1 or _spc_trend_down = 1 end as is_trend,
            case when _spc_has_value = 1 then _spc_two3_up = 1 or _spc_two3_down = 1 end as is_two_of_three,
            case
                when _spc_has_value = 1
                    then _spc_astro_up = 1 or _spc_astro_down = 1 or _spc_shift = 1 or _spc_trend_up = 1
                    or _spc_trend_down = 1 or _spc_two3_up = 1 or _spc_two3_down = 1
            end as is_special_cause,
            case
                when _spc_astro_up = 1 or (_spc_shift = 1 and _spc_side = 1) or _spc_trend_up = 1 or _spc_two3_up = 1
                    then 1 else 0
            end as _spc_high,
            case
                when _spc_astro_down = 1 or (_spc_shift = 1 and _spc_side = -1) or _spc_trend_down = 1
                    or _spc_two3_down = 1
                    then 1 else 0
            end as _spc_low
        from (
            {#- 6. two of three: a point beyond a 2-sigma line in a qualifying window ending here or 1-2 points on -#}
            select
                _spc_l5.*,
                case
                    when _spc_beyond_up = 1
                        and max(_spc_window_up) over ({{ ordered }} rows between current row and 2 following) = 1
                        then 1 else 0
                end as _spc_two3_up,
                case
                    when _spc_beyond_down = 1
                        and max(_spc_window_down) over ({{ ordered }} rows between current row and 2 following) = 1
                        then 1 else 0
                end as _spc_two3_down
            from (
                {#- 5. trends (the point ends or starts a long enough step run); 2-of-3 windows ending here -#}
                select
                    _spc_l4.*,
                    max(_spc_up_in) over ({{ ordered }} rows between current row and 1 following) as _spc_trend_up,
                    max(_spc_down_in) over ({{ ordered }} rows between current row and 1 following) as _spc_trend_down,
                    case
                        when sum(_spc_beyond_up) over ({{ ordered }} rows between 2 preceding and current row) >= 2
                            and sum(case when _spc_side = 1 then 1 else 0 end)
                            over ({{ ordered }} rows between 2 preceding and current row) = 3
                            then 1 else 0
                    end as _spc_window_up,
                    case
                        when sum(_spc_beyond_down) over ({{ ordered }} rows between 2 preceding and current row) >= 2
                            and sum(case when _spc_side = -1 then 1 else 0 end)
                            over ({{ ordered }} rows between 2 preceding and current row) = 3
                            then 1 else 0
                    end as _spc_window_down
                from (
                    {#- 4. run lengths: shifts; steps into a point that belong to a long enough monotone run -#}
                    select
                        _spc_l3.*,
                        case
                            when _spc_side <> 0
                                and count(*) over ({{ by_segment }}, _spc_side, _spc_side_island) >= {{ shift_length }}
                                then 1 else 0
                        end as _spc_shift,
                        case
                            when _spc_step = 1 and _spc_step_length >= {{ trend_length - 1 }} then 1 else 0
                        end as _spc_up_in,
                        case
                            when _spc_step = -1 and _spc_step_length >= {{ trend_length - 1 }} then 1 else 0
                        end as _spc_down_in,
                        case when _spc_value > upper_process_limit then 1 else 0 end as _spc_astro_up,
                        case when _spc_value < lower_process_limit then 1 else 0 end as _spc_astro_down,
                        case when _spc_value > upper_two_sigma then 1 else 0 end as _spc_beyond_up,
                        case when _spc_value < lower_two_sigma then 1 else 0 end as _spc_beyond_down
                    from (
                        {#- 3. limits (NULL below 2 points); islands of one side of the mean; step island sizes -#}
                        select
                            _spc_l2.*,
                            case when _spc_n >= 2 then mean_value + {{ three_sigma }} * mean_moving_range end
                                as upper_process_limit,
                            case when _spc_n >= 2 then mean_value - {{ three_sigma }} * mean_moving_range end
                                as lower_process_limit,
                            case when _spc_n >= 2 then mean_value + {{ two_sigma }} * mean_moving_range end
                                as upper_two_sigma,
                            case when _spc_n >= 2 then mean_value - {{ two_sigma }} * mean_moving_range end
                                as lower_two_sigma,
                            _spc_rn - row_number() over ({{ by_segment }}, _spc_side order by _spc_order)
                                as _spc_side_island,
                            count(*) over ({{ by_segment }}, _spc_step, _spc_step_island) as _spc_step_length
                        from (
                            {#- 2. mean moving range; side of the mean; islands of equal step direction -#}
                            select
                                _spc_l1.*,
                                case when _spc_n >= 2 then avg(moving_range) over ({{ by_segment }}) end
                                    as mean_moving_range,
                                case
                                    when _spc_value > mean_value then 1
                                    when _spc_value < mean_value then -1
                                    else 0
                                end as _spc_side,
                                _spc_rn - row_number() over ({{ by_segment }}, _spc_step order by _spc_order)
                                    as _spc_step_island
                            from (
                                {#- 1. segment mean and size; moving range and step direction from the previous
                                    point (step 0 for the first point and for an equal value) -#}
                                select
                                    _spc_l0.*,
                                    case when _spc_has_value = 1 then avg(_spc_value) over ({{ by_segment }}) end
                                        as mean_value,
                                    count(_spc_value) over ({{ by_segment }}) as _spc_n,
                                    abs(_spc_value - lag(_spc_value) over ({{ ordered }})) as moving_range,
                                    case
                                        when _spc_value > lag(_spc_value) over ({{ ordered }}) then 1
                                        when _spc_value < lag(_spc_value) over ({{ ordered }}) then -1
                                        else 0
                                    end as _spc_step,
                                    row_number() over ({{ ordered }}) as _spc_rn
                                from (
                                    {#- 0. the columns the chart needs, under internal names -#}
                                    select
                                        {%- for column in series %}
                                        {{ column }},
                                        {%- endfor %}
                                        {{ order_by }} as _spc_order,
                                        cast({{ value_column }} as double) as _spc_value,
                                        lower({{ improvement_direction_column }}) as _spc_direction,
                                        {{ baseline_column if baseline_column is not none else 1 }} as _spc_segment,
                                        case when {{ value_column }} is null then 0 else 1 end as _spc_has_value
                                    from {{ relation }}
                                ) as _spc_l0
                            ) as _spc_l1
                        ) as _spc_l2
                    ) as _spc_l3
                ) as _spc_l4
            ) as _spc_l5
        ) as _spc_l6
    ) as _spc_s
        on
        {%- for column in series %}
        _spc_i.{{ column }} is not distinct from _spc_s.{{ column }} and
        {%- endfor %}
        _spc_i.{{ order_by }} is not distinct from _spc_s._spc_order
{%- endmacro %}
