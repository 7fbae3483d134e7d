"""The statistical macros (macros/stats) reproduce PHE's published test vectors (PHEindicatormethods 2.1.0).

The vectors (tests/fixtures/phe, copied from shared/reference/phe; see its README.md) are loaded into a scratch
DuckDB file, schema `phe`, one table per CSV with a `row_id` column (1-based line order). `dbt build` loads the three
lookup seeds there and runs their data tests, then each test evaluates the macros over a vector table with
`dbt show --inline` (in-process, through tests/dbt_helpers.run_dbt) and compares every row with the expected values
read from the same CSV in Python: closed-form statistics to 1e-9 relative (metrics.md section 5; every value agrees
to about 1e-12), quantiles exactly, and PHE's NA cases must come back NULL.
"""

from __future__ import annotations

import csv
from pathlib import Path

from phe_vectors import StatsDb, phe_expected, phe_matches, phe_mismatches
from vector_db import LOOKUP_SEEDS

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "reference"


# ---------------------------------------------------------------------------------------------------- seeds, z, t df


def test_lookup_seeds_build_and_pass_their_data_tests(stats_db: StatsDb) -> None:
    results = stats_db.seed_build.results
    seeds = {r.node.name for r in results if r.node.resource_type == "seed" and str(r.status) == "success"}
    assert seeds == set(LOOKUP_SEEDS)
    tests = [r for r in results if r.node.resource_type == "test"]
    assert len(tests) >= 12 and {str(r.status) for r in tests} == {"pass"}
    counts = stats_db.show(
        "select (select count(*) from {{ ref('ref_z_values') }}) as z_rows,"
        " (select count(*) from {{ ref('ref_t_values') }}) as t_rows,"
        " (select count(*) from {{ ref('ref_poisson_exact_limits') }}) as poisson_rows"
    )
    assert [tuple(int(v) for v in row.values()) for row in counts] == [(5, 214, 50)]


def test_z_value_equals_the_seed(stats_db: StatsDb) -> None:
    rows = stats_db.show("""
        {% for c in [0.9, 0.95, 0.98, 0.99, 0.998] %}
        {% if not loop.first %}union all{% endif %}
        select {{ c }} as confidence, {{ z_value(c) }} as z_macro,
            (select z_two_sided from {{ ref('ref_z_values') }} where confidence = {{ c }}) as z_seed
        {% endfor %}
    """)
    with (SEEDS / "ref_z_values.csv").open(newline="") as f:
        seed_csv = {float(row["confidence"]): float(row["z_two_sided"]) for row in csv.DictReader(f)}
    assert len(rows) == 5
    for row in rows:
        assert float(row["z_macro"]) == float(row["z_seed"]) == seed_csv[float(row["confidence"])], row
    # and the string form of a confidence gives the same constant
    assert float(stats_db.show("select {{ z_value('0.95') }} as z")[0]["z"]) == seed_csv[0.95] == 1.959963984540054


def test_z_value_rejects_an_untabulated_confidence(stats_db: StatsDb) -> None:
    run = stats_db.run_show("select {{ z_value(0.97) }} as z")
    assert not run.success
    messages, error = [], run.exception
    while error is not None:  # dbt wraps the compilation error in "Error parsing inline query"
        messages.append(str(error))
        error = error.__cause__ or error.__context__
    assert "z_value: confidence must be one of 0.90, 0.95, 0.98, 0.99, 0.998, got 0.97" in "\n".join(messages)


def _expected_t_df(n: int) -> int | None:
    if n < 2:
        return None
    if n - 1 <= 100:
        return n - 1
    return max(df for df in (100, 120, 150, 200, 300, 500, 1000, 1000000) if df <= n - 1)


def test_t_lookup_df_maps_every_sample_size_to_a_tabulated_row(stats_db: StatsDb) -> None:
    sizes = [*range(0, 1205), 999_999, 1_000_000, 1_000_001, 1_000_002, 2_200_000]
    rows = stats_db.show(f"""
        with sizes as (
            select n from (values {", ".join(f"({n})" for n in sizes)}, (null)) as s (n)
        )
        select sizes.n, {{{{ t_lookup_df('sizes.n') }}}} as df,
            (select count(*) from {{{{ ref('ref_t_values') }}}} as t where t.df = {{{{ t_lookup_df('sizes.n') }}}})
                as seed_rows
        from sizes
    """)
    assert len(rows) == len(sizes) + 1
    problems = []
    for row in rows:
        n = None if row["n"] is None else int(row["n"])
        want = None if n is None else _expected_t_df(n)
        got = None if row["df"] is None else int(row["df"])
        if got != want or int(row["seed_rows"]) != (0 if want is None else 2):
            problems.append(f"n={n}: df {got} (expected {want}), {row['seed_rows']} seed rows")
    assert not problems, "\n".join(problems[:20])


# ------------------------------------------------------------------------------------- Wilson, Byar, proportion, rate


def test_raw_byar_and_wilson_limits(stats_db: StatsDb) -> None:
    rows = stats_db.show("""
        {% for c in [0.95, 0.998] %}
        {% if not loop.first %}union all{% endif %}
        select row_id,
            case when function = 'byars_count_limits' then {{ byar_lower('x', c) }}
                else {{ wilson_lower('x', 'n', c) }} end as lower_limit,
            case when function = 'byars_count_limits' then {{ byar_upper('x', c) }}
                else {{ wilson_upper('x', 'n', c) }} end as upper_limit
        from phe.byars_wilson_limits
        where confidence = {{ c }}
        {% endfor %}
    """)
    expected = phe_expected("byars_wilson_limits.csv")
    assert len(expected) == 13 and expected[12]["expected_lower"] is None  # x = 1 at 99.8%: negative Byar -> NA
    assert not phe_mismatches(rows, expected, {"lower_limit": "expected_lower", "upper_limit": "expected_upper"})


def test_phe_proportion_wilson(stats_db: StatsDb) -> None:
    rows = stats_db.show("""
        select row_id,
            {{ safe_divide('numerator', 'denominator') }} * multiplier as value,
            {{ wilson_lower('numerator', 'denominator', 0.95) }} * multiplier as lower95_0cl,
            {{ wilson_upper('numerator', 'denominator', 0.95) }} * multiplier as upper95_0cl,
            {{ wilson_lower('numerator', 'denominator', 0.998) }} * multiplier as lower99_8cl,
            {{ wilson_upper('numerator', 'denominator', 0.998) }} * multiplier as upper99_8cl
        from phe.proportion_wilson
    """)
    expected = phe_expected("proportion_wilson.csv")
    columns = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
    assert len(expected) == 19 and sum(row["value"] is None for row in expected) == 3  # Area09-11: all NA
    assert not phe_mismatches(rows, expected, {c: c for c in columns})


def test_wilson_limits_stay_inside_0_and_1(stats_db: StatsDb) -> None:
    """At x = n the exact upper limit is 1 and at x = 0 the lower is 0; unclamped, rounding gives 1.0000000000000002
    for thousands of n. Every limit is clamped to [0, 1] in the macros; inside, the values are untouched."""
    rows = stats_db.show("""
        select n,
            {{ wilson_upper('n', 'n') }} as upper_all, {{ wilson_lower('0', 'n') }} as lower_none,
            {{ wilson_upper('n', 'n', 0.998) }} as upper_all_998, {{ wilson_lower('0', 'n', 0.998) }} as lower_none_998,
            {{ wilson_upper('n - 1', 'n') }} as upper_but_one, {{ wilson_lower('1', 'n') }} as lower_one
        from range(1, 20001) as t(n)
    """)
    assert len(rows) == 20_000
    for row in rows:
        assert row["upper_all"] == row["upper_all_998"] == 1.0 and row["lower_none"] == row["lower_none_998"] == 0.0
        assert 0.0 < row["lower_one"] < row["upper_but_one"] < 1.0
    # the closed form, unclamped, exceeds 1 for some n (the reason for the rule)
    z2 = 1.959963984540054**2
    overshoot = [n for n in range(1, 20001) if (2 * n + z2 + 1.959963984540054 * z2**0.5) / (2 * (n + z2)) > 1.0]
    assert overshoot


def test_phe_rate_exact_below_10_byar_from_10(stats_db: StatsDb) -> None:
    rows = stats_db.show("""
        select rates.row_id,
            {{ safe_divide('rates.numerator', 'rates.denominator') }} * rates.multiplier as value,
            {% for c, limits in [(0.95, 'exact95'), (0.998, 'exact998')] %}
            {% set suffix = '95_0cl' if c == 0.95 else '99_8cl' %}
            {{ safe_divide(poisson_lower('rates.numerator', limits ~ '.lower_count', c), 'rates.denominator') }}
                * rates.multiplier as lower{{ suffix }},
            {{ safe_divide(poisson_upper('rates.numerator', limits ~ '.upper_count', c), 'rates.denominator') }}
                * rates.multiplier as upper{{ suffix }},
            {% endfor %}
            case when rates.numerator < 10 then 'Exact' when rates.numerator >= 10 then 'Byars' end as method
        from phe.rate_byars_exact as rates
        left join {{ ref('ref_poisson_exact_limits') }} as exact95
            on rates.numerator = exact95.observed and exact95.confidence = 0.95
        left join {{ ref('ref_poisson_exact_limits') }} as exact998
            on rates.numerator = exact998.observed and exact998.confidence = 0.998
    """)
    expected = phe_expected("rate_byars_exact.csv")
    columns = ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
    assert len(expected) == 20 and {row["method"] for row in expected} == {"Exact", "Byars", None}
    assert not phe_mismatches(rows, expected, {c: c for c in columns})
    # both branches are exercised: the exact rows differ from what Byar's method would give
    assert sum(row["method"] == "Exact" for row in rows) == 4


# ---------------------------------------------------------------------------------------------------------- t, mean


def test_phe_mean_student_t(stats_db: StatsDb) -> None:
    rows = stats_db.show("""
        with grouped_values as (
            select area, "values" as value from phe.mean_inputs
            union all
            select 'No grouping' as area, "values" as value from phe.mean_inputs
        ),

        summaries as (
            select
                area,
                sum(value) as value_sum,
                count(value) as value_count,
                stddev_samp(value) as stdev,
                avg(value) as value
            from grouped_values
            group by area
        )

        select
            summaries.*,
            {{ t_interval_lower('summaries.value', 'summaries.stdev', 'summaries.value_count', 't95.t_two_sided') }}
                as lower95_0cl,
            {{ t_interval_upper('summaries.value', 'summaries.stdev', 'summaries.value_count', 't95.t_two_sided') }}
                as upper95_0cl,
            {{ t_interval_lower('summaries.value', 'summaries.stdev', 'summaries.value_count', 't998.t_two_sided') }}
                as lower99_8cl,
            {{ t_interval_upper('summaries.value', 'summaries.stdev', 'summaries.value_count', 't998.t_two_sided') }}
                as upper99_8cl
        from summaries
        left join {{ ref('ref_t_values') }} as t95
            on t95.df = {{ t_lookup_df('summaries.value_count') }} and t95.confidence = 0.95
        left join {{ ref('ref_t_values') }} as t998
            on t998.df = {{ t_lookup_df('summaries.value_count') }} and t998.confidence = 0.998
    """)
    expected = {row["area"]: row for row in phe_expected("mean_expected.csv")}
    assert sorted(row["area"] for row in rows) == sorted(expected) == ["Area1", "Area2", "No grouping"]
    columns = ["value_sum", "value_count", "stdev", "value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"]
    problems = [
        f"{row['area']} {c}: got {row[c]}, expected {expected[row['area']][c]}"
        for row in rows
        for c in columns
        if not phe_matches(row[c], expected[row["area"]][c])
    ]
    assert not problems, "\n".join(problems)
