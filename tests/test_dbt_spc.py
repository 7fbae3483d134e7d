"""The SPC macro spc_xmr (macros/spc) on hand-made series: NHS England "Making Data Count" XmR limits and rules.

Each test writes its series inline as a `values` CTE (one series per series_id, points t = 1, 2, ...), renders
spc_xmr over it with `dbt show --inline` (tests/vector_db.py, a scratch DuckDB with no vectors) and checks every
point: which points each rule flags (exact booleans), variation_type, and limits against numbers worked out by hand
(mostly short decimals, by the choice of series) to an absolute 1e-9. Each rule has a series where
it fires and a near miss where it does not; the other rules are kept quiet on each series (checked too).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pytest

from vector_db import VectorDb, build_vector_db

TOLERANCE = 1e-9  # absolute; every limit below is a short decimal of magnitude < 40
Row = dict[str, Any]
Series = Sequence[float | None]
RULES = ("is_astronomical", "is_shift", "is_trend", "is_two_of_three")
IMPROVEMENT, CONCERN = "special_cause_improvement", "special_cause_concern"
COMMON, NEITHER = "common_cause", "special_cause_neither"


@pytest.fixture(scope="module")
def spc_db(tmp_path_factory: pytest.TempPathFactory) -> VectorDb:
    return build_vector_db(tmp_path_factory.mktemp("spc"), [], seeds=("ref_z_values",))


def _sql_literal(value: Any) -> str:
    if value is None:
        return "null"
    return f"'{value}'" if isinstance(value, str) else repr(value)


def chart(
    db: VectorDb,
    series: dict[str, tuple[str, Series]],
    segments: dict[str, Sequence[str]] | None = None,
    **macro_kwargs: Any,
) -> dict[str, list[Row]]:
    """spc_xmr over series {series_id: (improvement direction, values)}, optionally with a segment label per point
    (baseline_column='seg'); the rows of each series in point order."""
    rows = []
    for series_id, (direction, values) in series.items():
        labels = (segments or {}).get(series_id, ["all"] * len(values))
        rows += [(series_id, t, v, direction, labels[t - 1]) for t, v in enumerate(values, 1)]
    values_sql = ",\n".join("(" + ", ".join(_sql_literal(x) for x in row) + ")" for row in rows)
    kwargs = {**({"baseline_column": "seg"} if segments else {}), **macro_kwargs}
    args = "".join(f", {name}={_sql_literal(value)}" for name, value in kwargs.items())
    result = db.show(
        f"with points as (select series_id, t, cast(v as double) as v, direction, seg\n"
        f"from (values {values_sql}) as p (series_id, t, v, direction, seg))\n"
        f"select * from ({{{{ spc_xmr('points', ['series_id'], 't', 'v', 'direction'{args}) }}}}) as spc\n"
        f"order by series_id, t"
    )
    by_series: dict[str, list[Row]] = {series_id: [] for series_id in series}
    for row in result:
        by_series[row["series_id"]].append(row)
    return by_series


def flagged(rows: list[Row], column: str) -> list[int]:
    """The points (t) where a boolean column is true; every point with a value must be exactly true or false."""
    assert all(isinstance(r[column], bool) for r in rows if r["v"] is not None), [r[column] for r in rows]
    return [int(r["t"]) for r in rows if r[column]]


def rule_flags(rows: list[Row]) -> dict[str, list[int]]:
    return {rule: flagged(rows, rule) for rule in (*RULES, "is_special_cause")}


def only(rule: str, points: Sequence[int]) -> dict[str, list[int]]:
    """Expected rule_flags when one rule flags `points` and no other rule fires."""
    return {**{r: [] for r in RULES}, rule: list(points), "is_special_cause": list(points)}


def variation(rows: list[Row], special: dict[int, str]) -> None:
    assert [r["variation_type"] for r in rows] == [special.get(int(r["t"]), COMMON) for r in rows]


def close(actual: Any, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    return math.isclose(float(actual), expected, rel_tol=0.0, abs_tol=TOLERANCE)


def check_limits(
    rows: list[Row], mean: float, mean_mr: float | None, limits: tuple[float, float, float, float] | None
) -> None:
    """Segment statistics on every row: mean, mean moving range, (upper, lower process limit, upper, lower 2 sigma)."""
    columns = ("upper_process_limit", "lower_process_limit", "upper_two_sigma", "lower_two_sigma")
    for row in rows:
        assert close(row["mean_value"], mean) and close(row["mean_moving_range"], mean_mr), row
        for column, want in zip(columns, limits or (None,) * 4, strict=True):
            assert close(row[column], want), (column, row)


# ------------------------------------------------------------------------------------------------ limits by hand


def test_limits_and_moving_ranges_by_hand(spc_db: VectorDb) -> None:
    # 1 3 2 6 4: mean 16/5 = 3.2; moving ranges 2 1 4 2, mean 9/4 = 2.25; 2.66 * 2.25 = 5.985; 2/3 of it = 3.99
    rows = chart(spc_db, {"a": ("increase", [1, 3, 2, 6, 4])})["a"]
    check_limits(rows, 3.2, 2.25, (9.185, -2.785, 7.19, -0.79))
    assert [None if r["moving_range"] is None else float(r["moving_range"]) for r in rows] == [None, 2, 1, 4, 2]
    assert [r["segment"] for r in rows] == [1] * 5  # no baseline column: one segment, 1
    assert flagged(rows, "is_limit_reliable") == [] and rule_flags(rows) == only("is_shift", [])
    variation(rows, {})


def test_limit_reliability_follows_min_baseline_points(spc_db: VectorDb) -> None:
    series = {"n14": ("increase", [5, 3] * 7), "n15": ("increase", [5, 3] * 7 + [4])}
    default = chart(spc_db, series)
    assert flagged(default["n14"], "is_limit_reliable") == []
    assert flagged(default["n15"], "is_limit_reliable") == list(range(1, 16))
    five = chart(spc_db, {"a": ("increase", [1, 3, 2, 6, 4])}, min_baseline_points=5)["a"]
    assert flagged(five, "is_limit_reliable") == [1, 2, 3, 4, 5]


# ------------------------------------------------------------------------------------------------ shift


def test_shift_of_seven_fires_six_does_not_and_the_mean_breaks_a_run(spc_db: VectorDb) -> None:
    seven = [5, 3, 5, 3, 7, 8, 7, 8, 7, 8, 7, 3, 5, 3]  # mean 79/14: points 5-11 above, 1-4 and 12-14 below
    six = [5, 3, 5, 3, 7, 8, 7, 8, 7, 8, 3, 3, 5, 3]  # points 5-10 above
    on_mean = [4, 2, 4, 2, 7, 8, 7, 5, 8, 7, 8, 2, 4, 2, 5]  # mean exactly 5 = point 8: runs of 3 above either side
    rows = chart(spc_db, {"up": ("increase", seven), "down_good": ("decrease", seven), "six": ("increase", six),
                          "on_mean": ("increase", on_mean)})  # fmt: skip
    assert rule_flags(rows["up"]) == only("is_shift", range(5, 12))
    variation(rows["up"], dict.fromkeys(range(5, 12), IMPROVEMENT))
    variation(rows["down_good"], dict.fromkeys(range(5, 12), CONCERN))
    assert rule_flags(rows["six"]) == only("is_shift", [])
    variation(rows["six"], {})
    # mean 75/15 = 5; moving ranges sum to 33 over 14; 2.66 * 33/14 = 6.27, 2/3 of it 4.18
    check_limits(rows["on_mean"], 5.0, 33 / 14, (11.27, -1.27, 9.18, 0.82))
    assert rule_flags(rows["on_mean"]) == only("is_shift", [])


# ------------------------------------------------------------------------------------------------ trend


def test_trend_of_six_fires_five_and_a_tie_do_not(spc_db: VectorDb) -> None:
    six = [5, 7, 4, 6, 3, 4, 5, 6, 7, 8, 5, 7, 4, 6]  # points 5-10 rise 3..8, across the mean 5.5
    five = [5, 7, 4, 6, 9, 4, 5, 6, 7, 8, 5, 7, 4, 6]  # points 6-10 rise
    tie = [5, 7, 4, 6, 3, 4, 4, 6, 7, 8, 5, 7, 4, 6]  # 3 4 4 6 7 8: the equal values break it into 2 + 4
    falling = [10 - v for v in six]
    rows = chart(spc_db, {"six": ("increase", six), "six_bad": ("decrease", six), "five": ("increase", five),
                          "tie": ("increase", tie), "falling": ("decrease", falling),
                          "falling_neither": ("neither", falling)})  # fmt: skip
    for name in ("six", "six_bad", "falling", "falling_neither"):
        assert rule_flags(rows[name]) == only("is_trend", range(5, 11)), name
    # the direction of the trend decides, not the side of the mean (points 5-7 are below it)
    variation(rows["six"], dict.fromkeys(range(5, 11), IMPROVEMENT))
    variation(rows["six_bad"], dict.fromkeys(range(5, 11), CONCERN))
    variation(rows["falling"], dict.fromkeys(range(5, 11), IMPROVEMENT))
    variation(rows["falling_neither"], dict.fromkeys(range(5, 11), NEITHER))
    for name in ("five", "tie"):
        assert rule_flags(rows[name]) == only("is_trend", []), name
        variation(rows[name], {})


def test_trend_length_is_an_argument(spc_db: VectorDb) -> None:
    five = [5, 7, 4, 6, 9, 4, 5, 6, 7, 8, 5, 7, 4, 6]
    rows = chart(spc_db, {"five": ("increase", five)}, trend_length=5)["five"]
    assert rule_flags(rows) == only("is_trend", range(6, 11))


# ------------------------------------------------------------------------------------------------ astronomical


def test_astronomical_point_is_improvement_or_concern_by_direction(spc_db: VectorDb) -> None:
    # 19 points alternating 8, 12 and a 40 at point 11: mean 228/20 = 11.4; moving ranges 17 x 4 + 28 + 32 = 128
    # over 19; 2.66 * 128/19 = 17.92 exactly, so the limits are 29.32 and -6.52 (2 sigma: 23.34666..., -0.54666...)
    high = [8, 12] * 5 + [40] + [8, 12] * 4 + [8]
    low = [-v for v in high]
    rows = chart(spc_db, {"high_up": ("increase", high), "high_down": ("decrease", high), "low_up": ("increase", low),
                          "low_down": ("Decrease", low), "neither": ("neither", high)})  # fmt: skip
    check_limits(rows["high_up"], 11.4, 128 / 19, (29.32, -6.52, 11.4 + 17.92 * 2 / 3, 11.4 - 17.92 * 2 / 3))
    check_limits(rows["low_up"], -11.4, 128 / 19, (6.52, -29.32, -11.4 + 17.92 * 2 / 3, -11.4 - 17.92 * 2 / 3))
    for name in rows:
        assert rule_flags(rows[name]) == only("is_astronomical", [11]), name
    expected = {"high_up": IMPROVEMENT, "high_down": CONCERN, "low_up": CONCERN, "low_down": IMPROVEMENT,
                "neither": NEITHER}  # fmt: skip
    for name, kind in expected.items():
        variation(rows[name], {11: kind})


# ------------------------------------------------------------------------------------------------ two of three


def test_two_of_three_beyond_two_sigma(spc_db: VectorDb) -> None:
    base = [8, 12] * 6
    tail = [8, 12, 8, 12, 8, 12, 8]
    fire = base + [20, 13, 20] + tail  # 20 > upper 2 sigma 19.57 (< limit 23.87); 13 above the mean 10.95
    mirror = [20 - v for v in fire]
    opposite = base + [19, 12, 1] + tail  # 19 beyond the upper 2-sigma line, 1 beyond the lower one
    middle_below = base + [21, 8, 21] + tail  # both beyond the upper line but the middle point is below the mean
    three_sigma = base + [24, 13, 36] + tail  # 36 is beyond the upper limit: it still counts towards 2 of 3
    rows = chart(spc_db, {"fire": ("increase", fire), "mirror": ("decrease", mirror),
                          "opposite": ("increase", opposite), "middle_below": ("increase", middle_below),
                          "three_sigma": ("increase", three_sigma)})  # fmt: skip
    for name in ("fire", "mirror"):  # only the points beyond the line are flagged, not the third point
        assert rule_flags(rows[name]) == only("is_two_of_three", [13, 15]), name
        variation(rows[name], {13: IMPROVEMENT, 15: IMPROVEMENT})
    for name in ("opposite", "middle_below"):
        assert rule_flags(rows[name]) == only("is_two_of_three", []), name
        variation(rows[name], {})
    assert rule_flags(rows["three_sigma"]) == {**only("is_two_of_three", [13, 15]), "is_astronomical": [15]}
    variation(rows["three_sigma"], {13: IMPROVEMENT, 15: IMPROVEMENT})


# ------------------------------------------------------------------------------------------------ conflicts, NULLs


def test_point_flagged_both_ways_is_an_improvement(spc_db: VectorDb) -> None:
    # points 6-12 are above the mean 11.1 (a shift up) and 7-14 fall 17..11, 4 (a trend down): 7-12 are both
    values = [4, 16, 4, 16, 4, 16, 17, 16, 15, 14, 13, 12, 11, 4, 16, 4, 16, 4, 16, 4]
    rows = chart(spc_db, {"up": ("increase", values), "down": ("decrease", values)})
    for name in rows:
        assert flagged(rows[name], "is_shift") == list(range(6, 13))
        assert flagged(rows[name], "is_trend") == list(range(7, 15))
        assert flagged(rows[name], "is_astronomical") == [] and flagged(rows[name], "is_two_of_three") == []
    variation(rows["up"], {6: IMPROVEMENT, **dict.fromkeys(range(7, 13), IMPROVEMENT), 13: CONCERN, 14: CONCERN})
    variation(rows["down"], {6: CONCERN, **dict.fromkeys(range(7, 15), IMPROVEMENT)})


def test_null_values_are_skipped(spc_db: VectorDb) -> None:
    values = [5, 7, 4, 6, 3, 4, None, 5, 6, 7, 8, 5, 7, 4, 6]  # the rise 3 4 _ 5 6 7 8 is a trend of 6
    rows = chart(spc_db, {"a": ("increase", values)})["a"]
    gap = rows[6]
    assert gap["segment"] == 1
    assert all(gap[c] is None for c in gap if c not in ("series_id", "t", "direction", "seg", "segment"))
    assert flagged(rows, "is_trend") == [5, 6, 8, 9, 10, 11] and float(rows[7]["moving_range"]) == 1.0
    # 14 values: mean 77/14 = 5.5; 13 moving ranges (5 -> 4 -> 5 across the gap) sum to 25; 2.66 * 25/13 = 66.5/13
    check_limits(rows[:6] + rows[7:], 5.5, 25 / 13, (5.5 + 66.5 / 13, 5.5 - 66.5 / 13, 5.5 + 133 / 39, 5.5 - 133 / 39))


# ------------------------------------------------------------------------------------------------ rebasing


def test_segments_get_their_own_limits_and_runs_do_not_cross(spc_db: VectorDb) -> None:
    # trend: 1 2 3 | 4 5 6 9 rises over 7 points but only 3 and 4 within each segment
    rise = [5, 3, 6, 2, 5, 1, 2, 3] + [4, 5, 6, 9, 7, 10, 8, 11]
    # shift: the last 4 baseline points are above the baseline mean, the first 3 post points above the post mean
    side = [2, 8, 2, 8, 2, 7, 8, 7, 8] + [17, 18, 17, 12, 18, 12, 18, 12]
    segments = {"rise": ["baseline"] * 8 + ["post"] * 8, "side": ["baseline"] * 9 + ["post"] * 8}
    series = {"rise": ("increase", rise), "side": ("increase", side)}
    rows = chart(spc_db, series, segments)
    rise_rows = rows["rise"]
    assert [r["segment"] for r in rise_rows] == segments["rise"]
    # baseline: mean 27/8 = 3.375, mean moving range 18/7, 2.66 * 18/7 = 6.84; post: mean 7.5, 15/7, 2.66 * 15/7 = 5.7
    check_limits(rise_rows[:8], 3.375, 18 / 7, (10.215, -3.465, 7.935, -1.185))
    check_limits(rise_rows[8:], 7.5, 15 / 7, (13.2, 1.8, 11.3, 3.7))
    assert rise_rows[8]["moving_range"] is None  # the first post point has no previous point in its segment
    for name in series:
        assert rule_flags(rows[name]) == only("is_shift", []), name
    one_segment = chart(spc_db, {"rise": ("increase", rise)})["rise"]
    assert flagged(one_segment, "is_trend") == list(range(6, 13))


def test_single_point_segment_has_null_limits(spc_db: VectorDb) -> None:
    rows = chart(spc_db, {"a": ("increase", [1, 3, 2, 6, 4, 10])}, {"a": ["baseline"] * 5 + ["post"]})["a"]
    check_limits(rows[:5], 3.2, 2.25, (9.185, -2.785, 7.19, -0.79))
    post = rows[5]
    assert post["segment"] == "post" and post["moving_range"] is None
    check_limits([post], 10.0, None, None)
    assert {rule: post[rule] for rule in (*RULES, "is_special_cause", "is_limit_reliable")} == dict.fromkeys(
        (*RULES, "is_special_cause", "is_limit_reliable"), False
    )
    assert post["variation_type"] == COMMON


def test_run_lengths_are_checked_at_compile_time(spc_db: VectorDb) -> None:
    run = spc_db.run_show("select * from ({{ spc_xmr('(select 1 as t, 1.0 as v, 1 as d) as p', [], 't', 'v', 'd', "
                          "shift_length=1) }}) as s")  # fmt: skip
    assert not run.success  # dbt reports "Error parsing inline query"; the macro's message is in dbt's log
    assert "spc_xmr: shift_length must be an integer >= 2, got 1" in (spc_db.work_dir / "logs" / "dbt.log").read_text()
