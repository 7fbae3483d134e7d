"""Hand-made worked examples for the WHO HEAT measure macros (macros/inequality/heat): orientation by favourability,
the reference subgroup rules, PAF / PAR zeroing, and every NULL rule. Values are worked out by hand (in the comments)
or, for TI / MLD, from the formulas of metrics.md section 2; all compared to 1e-9 relative.

Ordered examples: three groups, subgroup_order 1 (most disadvantaged) .. 3, population 100, 100, 200, scale 100.
  rising  = estimates 20, 30, 50 (se 2, 3, 4): mu = 37.5      falling = 50, 30, 20 (se 4, 3, 2): mu = 30
Non-ordered examples ("regions"): A 80, B 60, C 90, D 70 with population 100, 300, 100, 500 (shares .1 .3 .1 .5),
se 2 each, scale 100: mu = 70.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from vector_db import VectorDb, build_vector_db

Row = dict[str, Any]
Z95 = 1.959963984540054
Z99 = 2.5758293035489004
REL = 1e-9
MACROS = ["inequality_gap", "inequality_attributable", "inequality_between_group_variance",
          "inequality_mean_difference", "inequality_theil"]  # fmt: skip

RISING = [(1, 20, 2, 100), (2, 30, 3, 100), (3, 50, 4, 200)]
FALLING = [(1, 50, 4, 100), (2, 30, 3, 100), (3, 20, 2, 200)]
REGIONS = {"A": (80, 2, 100), "B": (60, 2, 300), "C": (90, 2, 100), "D": (70, 2, 500)}


def _ordered(case: str, rows: list[tuple[Any, ...]], favourable: bool) -> list[tuple[Any, ...]]:
    return [(case, order, y, se, pop, favourable, 100, False) for order, y, se, pop in rows]


def _regions(case: str, favourable: bool, references: str = "", missing_se: str = "") -> list[tuple[Any, ...]]:
    return [(case, None, y, None if name in missing_se else se, pop, favourable, 100, name in references)
            for name, (y, se, pop) in REGIONS.items()]  # fmt: skip


def _plain(case: str, values: list[float | None], populations: list[float], orders: list[int | None] | None = None,
           favourable: list[bool] | None = None) -> list[tuple[Any, ...]]:  # fmt: skip
    n = len(values)
    orders, favourable = orders or [None] * n, favourable or [True] * n
    return [(case, orders[i], values[i], 1, populations[i], favourable[i], 100, False) for i in range(n)]


SUBGROUPS: list[tuple[Any, ...]] = [
    *_ordered("fav_rising", RISING, True),
    *_ordered("adv_falling", FALLING, False),
    *_ordered("adv_rising", RISING, False),
    *_ordered("fav_falling", FALLING, True),
    *_regions("regions_noref", True),
    *_regions("regions_ref_a", True, "A"),
    *_regions("regions_ref_a_adverse", False, "A"),
    *_regions("regions_ref_b_worst", True, "B"),
    *_regions("two_references", True, "AC"),
    *_regions("missing_se", True, missing_se="B"),
    *_plain("single", [50], [100]),
    *_plain("with_unusable", [80, 60, None, 99, 75], [100, 300, 200, 0, None]),
    *_plain("nothing_usable", [None, 40], [100, 0]),
    *_plain("zero_estimate", [0, 10, 20], [1, 1, 2]),
    *_plain("negative_estimate", [-5, 10, 20], [1, 1, 2]),
    *_plain("mixed_order", [20, 30, 50], [1, 1, 1], orders=[1, 2, None]),
    *_plain("mixed_favourable", [20, 30, 50], [1, 1, 1], orders=[1, 2, 3], favourable=[True, True, False]),
]


def _sql(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"'{value}'" if isinstance(value, str) else str(value)


def _relation(subgroups: list[tuple[Any, ...]]) -> str:
    values = ",\n".join("(" + ", ".join(_sql(v) for v in row) + ")" for row in subgroups)
    return f"""(
        select case_id, cast(subgroup_order as integer) as subgroup_order, cast(estimate as double) as estimate,
            cast(se as double) as se, cast(population as double) as population, is_favourable,
            cast(indicator_scale as double) as indicator_scale, is_reference
        from (values {values}) as v (case_id, subgroup_order, estimate, se, population, is_favourable,
            indicator_scale, is_reference)
    ) as examples"""


def _float(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


@pytest.fixture(scope="module")
def heat_db(tmp_path_factory: pytest.TempPathFactory) -> VectorDb:
    return build_vector_db(tmp_path_factory.mktemp("inequality_heat_examples"), ["heat"])


@pytest.fixture(scope="module")
def results(heat_db: VectorDb) -> dict[tuple[str, str], Row]:
    relation = _relation(SUBGROUPS)
    out: dict[tuple[str, str], Row] = {}
    for macro in MACROS:
        for row in heat_db.show(f"{{{{ {macro}({relation!r}, ['case_id']) }}}}"):
            out[(row["case_id"], row["measure"])] = {k: _float(v) for k, v in row.items()}
    return out


def _check(results: dict[tuple[str, str], Row], case: str, expected: dict[str, tuple[Any, Any]]) -> None:
    """expected: measure -> (estimate, se); None = NULL, ... = not asserted."""
    for measure, (estimate, se) in expected.items():
        row = results[(case, measure)]
        for column, want in (("estimate", estimate), ("se", se)):
            if want is ...:
                continue
            got, message = row[column], f"{case} {measure} {column}: got {row[column]}, expected {want}"
            if want is None:
                assert got is None, message
            else:
                assert got is not None and math.isclose(got, want, rel_tol=REL, abs_tol=1e-12), message


def test_every_partition_gets_every_measure_row(results: dict[tuple[str, str], Row]) -> None:
    cases = {row[0] for row in SUBGROUPS}
    assert len(results) == len(cases) * 17  # d r paf par bgv bgsd cov, 8 mean differences, ti mld
    n_groups = {case: results[(case, "d")]["n_groups"] for case in cases}
    assert all(results[key]["n_groups"] == n_groups[key[0]] for key in results)
    assert n_groups["with_unusable"] == 2 and n_groups["nothing_usable"] == 0 and n_groups["single"] == 1


def test_confidence_intervals_follow_the_se(results: dict[tuple[str, str], Row]) -> None:
    for (case, measure), row in results.items():
        if row["se"] is None:
            assert row["ci_lower"] is None and row["ci_upper"] is None, (case, measure)
            continue
        if measure == "r":  # log scale
            lower, upper = (math.exp(math.log(row["estimate"]) + s * Z95 * row["se"]) for s in (-1, 1))
        else:
            lower, upper = row["estimate"] - Z95 * row["se"], row["estimate"] + Z95 * row["se"]
        assert math.isclose(row["ci_lower"], lower, rel_tol=1e-12, abs_tol=1e-12), (case, measure)
        assert math.isclose(row["ci_upper"], upper, rel_tol=1e-12, abs_tol=1e-12), (case, measure)


def test_ordered_favourable_gap_and_attributable(results: dict[tuple[str, str], Row]) -> None:
    # d = advantaged - disadvantaged = 50 - 20; r = 2.5, se(ln r) = sqrt(4^2/20^2 + 50^2 2^2/20^4) / 2.5.
    # 2x2 table: c = .5 * 200 = 100, d = 100, a = .375 * 400 - 100 = 50, b = 400 - 50 - 200 = 150:
    # var = 100 * 400 (50 * 100 * 300 + 150 * 100^2) / (150^3 200^3) = 1/225, sqrt = 1/15
    _check(results, "fav_rising", {
        "d": (30, math.sqrt(20)), "r": (2.5, math.sqrt(0.1025) / 2.5),
        "paf": (100 * 12.5 / 37.5, 100 / 15), "par": (12.5, 37.5 / 15),
    })  # fmt: skip


def test_adverse_indicator_flips_the_sign_of_d_and_paf(results: dict[tuple[str, str], Row]) -> None:
    # mortality falling with advantage: d = disadvantaged - advantaged = 50 - 20 > 0 (the disadvantaged are worse
    # off), PAF / PAR < 0: ref = 20 (most advantaged) below mu = 30. 2x2: c = 40, d = 160, a = 80, b = 120:
    # var = 40 * 400 (80 * 160 * 360 + 120 * 40^2) / (120^3 200^3) = 1/180
    _check(results, "adv_falling", {
        "d": (30, math.sqrt(20)), "r": (2.5, math.sqrt(0.1025) / 2.5),
        "paf": (-100 * 10 / 30, 100 / math.sqrt(180)), "par": (-10, 30 / math.sqrt(180)),
    })  # fmt: skip
    # the same rising data read as an adverse indicator: d = 20 - 50 < 0, r = 0.4 (the disadvantaged better off)
    r_se = math.sqrt(2**2 / 50**2 + 20**2 * 4**2 / 50**4) / 0.4
    _check(results, "adv_rising", {"d": (-30, math.sqrt(20)), "r": (0.4, r_se)})
    _check(results, "fav_falling", {"d": (-30, math.sqrt(20)), "r": (0.4, ...)})


def test_reference_worse_than_the_mean_gives_zero_paf_and_par(results: dict[tuple[str, str], Row]) -> None:
    # adverse, ref 50 > mu 37.5; favourable, ref 20 < mu 30: no improvement possible. HEAT keeps the 2x2 SE (the CI
    # is centred on 0).
    _check(results, "adv_rising", {"paf": (0, 100 / 15), "par": (0, 37.5 / 15)})
    _check(results, "fav_falling", {"paf": (0, 100 / math.sqrt(180)), "par": (0, 30 / math.sqrt(180))})
    # non-ordered: the user's reference B (60) is below mu (70) for a favourable indicator; A (80) for an adverse one
    _check(results, "regions_ref_b_worst", {"paf": (0, ...), "par": (0, ...)})
    _check(results, "regions_ref_a_adverse", {"paf": (0, ...), "par": (0, ...)})


def test_non_ordered_reference_rules(results: dict[tuple[str, str], Row]) -> None:
    se2 = math.sqrt(8)
    # no reference: highest - lowest (C 90 - B 60); PAF from the best group C: par = 90 - 70
    _check(results, "regions_noref", {"d": (30, se2), "r": (1.5, ...), "paf": (100 * 20 / 70, ...), "par": (20, ...)})
    # reference A, favourable: A - min(others) = 80 - 60; PAF from A: 80 - 70
    _check(results, "regions_ref_a", {"d": (20, se2), "r": (80 / 60, ...), "paf": (100 * 10 / 70, ...),
                                      "par": (10, ...)})  # fmt: skip
    # reference A, adverse: max(others) - A = 90 - 80
    _check(results, "regions_ref_a_adverse", {"d": (10, se2), "r": (90 / 80, ...)})
    # reference B is the worst (favourable): B - min(others) = 60 - 70 (healthequal's min over all would give 0)
    _check(results, "regions_ref_b_worst", {"d": (-10, se2), "r": (60 / 70, ...)})
    # two reference subgroups: the reference-based measures are undefined; the others are unaffected
    _check(results, "two_references", {"d": (None, None), "r": (None, None), "paf": (None, None),
                                       "par": (None, None), "mdru": (None, None), "mdmu": (10, None)})  # fmt: skip


def test_between_group_variance(results: dict[tuple[str, str], Row]) -> None:
    # bgv = .1 * 10^2 + .3 * 10^2 + .1 * 20^2 + .5 * 0 = 80; var = 4 * 56 + 2 (1.44^2 - 1.1328 + 1.9648)
    # (sum p^2 se^2 (y - mu)^2 = 4 (.01 * 100 + .09 * 100 + .01 * 400) = 56, sum p^2 se^2 = 4 * .36 = 1.44,
    # sum p^4 se^4 = 16 * .0708, sum p^2 (1 - p)^2 se^4 = 16 * .1228); bgsd and cov by the delta method
    se_bgv = math.sqrt(4 * 56 + 2 * (1.44**2 - 16 * 0.0708 + 16 * 0.1228))
    bgsd = math.sqrt(80)
    se_bgsd = se_bgv / (2 * bgsd)
    cov = (100 * bgsd / 70, 100 * se_bgsd / 70)
    _check(results, "regions_noref", {"bgv": (80, se_bgv), "bgsd": (bgsd, se_bgsd), "cov": cov})


def test_mean_differences(results: dict[tuple[str, str], Row]) -> None:
    # |y - 70| = 10 10 20 0; |y - best 90| = 10 30 0 20; |y - ref A 80| = 0 20 10 10
    _check(results, "regions_ref_a", {
        "mdmu": (10, None), "mdmw": (6, None), "mdbu": (15, None), "mdbw": (20, None), "mdru": (10, None),
        "mdrw": (12, None), "idisu": (100 * 10 / 70, None), "idisw": (100 * 6 / 70, None),
    })  # fmt: skip
    # adverse: the best is the lowest, B 60: |y - 60| = 20 0 30 10
    _check(results, "regions_ref_a_adverse", {"mdbu": (15, None), "mdbw": (10, None)})
    _check(results, "regions_noref", {"mdru": (None, None), "mdrw": (None, None), "mdmu": (10, None)})


def _theil(values: list[float], shares: list[float], ses: list[float]) -> tuple[float, float, float, float]:
    values = [1e-6 if v == 0 else v for v in values]
    mu = sum(p * y for p, y in zip(shares, values, strict=True))
    r = [y / mu for y in values]
    centre = sum(p * x * (1 + math.log(x)) for p, x in zip(shares, r, strict=True))
    ti = 1000 * sum(p * x * math.log(x) for p, x in zip(shares, r, strict=True))
    mld = 1000 * sum(-p * math.log(x) for p, x in zip(shares, r, strict=True))
    ti_var = sum((p * s) ** 2 * ((1 + math.log(x)) - centre) ** 2 for p, s, x in zip(shares, ses, r, strict=True))
    mld_var = sum((p * s) ** 2 * (1 - 1 / x) ** 2 for p, s, x in zip(shares, ses, r, strict=True))
    return ti, 1000 * math.sqrt(ti_var) / mu, mld, 1000 * math.sqrt(mld_var) / mu


def test_theil_and_mean_log_deviation(results: dict[tuple[str, str], Row]) -> None:
    ti, ti_se, mld, mld_se = _theil([80, 60, 90, 70], [.1, .3, .1, .5], [2, 2, 2, 2])
    _check(results, "regions_noref", {"ti": (ti, ti_se), "mld": (mld, mld_se)})
    # a zero estimate is replaced by 1e-6 (MLD then large but finite)
    ti, ti_se, mld, mld_se = _theil([0, 10, 20], [.25, .25, .5], [1, 1, 1])
    _check(results, "zero_estimate", {"ti": (ti, ti_se), "mld": (mld, mld_se)})
    # a negative estimate: the logarithm is undefined, the measure is NULL (the variance measures are not)
    _check(results, "negative_estimate", {"ti": (None, None), "mld": (None, None), "bgv": (..., ...)})
    assert results[("negative_estimate", "bgv")]["estimate"] is not None


def test_null_rules(results: dict[tuple[str, str], Row]) -> None:
    everything = [measure for (case, measure) in results if case == "single"]
    # a single subgroup, or none usable: every measure NULL
    for case in ("single", "nothing_usable"):
        _check(results, case, {measure: (None, None) for measure in everything})
    # unusable subgroups (NULL estimate, population 0 or NULL) are ignored: A 80 and B 60, mu = 65
    _check(results, "with_unusable", {"d": (20, math.sqrt(2)), "bgv": (.25 * 15**2 + .75 * 5**2, ...),
                                      "mdmu": (10, None)})  # fmt: skip
    # a missing se: estimates stay, the SEs that need it go; PAF's 2x2 SE does not use subgroup SEs
    _check(results, "missing_se", {"d": (30, None), "r": (1.5, None), "bgv": (80, None), "bgsd": (..., None),
                                   "ti": (..., None), "paf": (..., ...)})  # fmt: skip
    assert results[("missing_se", "paf")]["se"] is not None
    # only some subgroups ordered, or a favourable flag that differs between rows: direction-dependent measures NULL
    _check(results, "mixed_order", {"d": (None, None), "paf": (None, None), "bgv": (..., ...)})
    assert results[("mixed_order", "bgv")]["estimate"] is not None
    _check(results, "mixed_favourable", {"d": (None, None), "paf": (None, None), "mdbu": (None, None)})


def test_confidence_level_and_whole_relation(heat_db: VectorDb) -> None:
    relation = _relation(_ordered("fav_rising", RISING, True))
    rows = heat_db.show(f"{{{{ inequality_gap({relation!r}, [], confidence=0.99) }}}}")
    assert {tuple(row) for row in rows} == {("measure", "estimate", "se", "ci_lower", "ci_upper", "n_groups")}
    d = next(row for row in rows if row["measure"] == "d")
    assert math.isclose(float(d["ci_lower"]), 30 - Z99 * math.sqrt(20), rel_tol=1e-12)
    assert math.isclose(float(d["ci_upper"]), 30 + Z99 * math.sqrt(20), rel_tol=1e-12)
    assert int(d["n_groups"]) == 3
