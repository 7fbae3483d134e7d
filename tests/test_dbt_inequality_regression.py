"""Regression-based inequality macros (macros/inequality/regression) against published vectors.

PHE phe_sii (inequality_sii_phe, inequality_sii_phe_fit): every case of tests/fixtures/phe/sii_test_cases.csv.
Points (sii, rii, intercept) to 1e-6 relative; the analytic limits equal the `analytic_*` columns of sii_expected.csv
to 1e-6 and lie within 3 % of PHE's Monte-Carlo limits (metrics.md 1.7 item 8). The analytic columns take each
subgroup's SE from its 95% limits, (U_t - L_t) / (2 qnorm(0.975)), as PHE does when given limits; the vectors'
StandardError column is (U_t - L_t) / (2 * 1.96), so with it the limits move by up to 5e-5 relative (checked too).
WHO HEAT logistic SII / RII (inequality_sii_logistic): healthequal's unit-test values (unit_expected.csv, 1e-6) and
the HEAT-Measures indicator_scale rows of sample_expected.csv (1e-6); healthequal reports the SII's se divided by the
scale, the macro on the estimate's scale, so se / indicator_scale is compared.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from vector_db import FIXTURES, VectorDb, build_vector_db, expected_rows

POINT_REL = 1e-6
SIMULATED_REL = 0.03
Row = dict[str, Any]
PHE_COLUMNS = ("Area as area, Quantile as subgroup_order, Value as estimate, Population as population, true as"
               " is_favourable, cast(1 as double) as indicator_scale, false as is_reference, LowerCL as lower_cl,"
               " UpperCL as upper_cl")  # fmt: skip


@pytest.fixture(scope="module")
def vector_db(tmp_path_factory: pytest.TempPathFactory) -> VectorDb:
    return build_vector_db(tmp_path_factory.mktemp("inequality_regression"), ["phe", "heat"])


def _close(actual: Any, expected: float, rel: float) -> bool:
    return actual is not None and math.isclose(float(actual), expected, rel_tol=rel, abs_tol=1e-15)


def _phe_relation(case: Row, se: str = "cast(null as double)") -> str:
    first, last = int(case["input_record_from"]), int(case["input_record_to"])
    return f"(select {PHE_COLUMNS}, {se} as se from phe.sii_inputs where RecordNo between {first} and {last}) as v"


def _jinja_bool(value: Any) -> str:
    return "true" if value else "false"


def _phe_cases() -> list[tuple[Row, int, float]]:
    """(case, confidence index 1/2, confidence) for every confidence level of every test case."""
    cases = expected_rows(FIXTURES / "phe" / "sii_test_cases.csv")
    assert len(cases) == 22
    return [(c, i, float(conf)) for c in cases for i, conf in enumerate(str(c["confidence_levels"]).split(";"), 1)]


def _phe_sql(macro: str, se: str = "cast(null as double)", extra: str = ", limit_columns=['lower_cl', 'upper_cl']",
             confidence: bool = True) -> str:  # fmt: skip
    """One query over all cases: columns test_id, conf_index, then the macro's output."""
    parts = []
    for case, index, conf in _phe_cases():
        args = (f"value_type={int(case['value_type'])}, transform={_jinja_bool(case['transform'])}, "
                f"multiplier={float(case['multiplier'])}{extra}")  # fmt: skip
        conf_arg = f"confidence={conf}, " if confidence else ""
        call = f'{macro}("{_phe_relation(case, se)}", ["area"], {conf_arg}{args})'
        parts.append(f"select '{case['test_id']}' as test_id, {index} as conf_index, r.* from ({{{{ {call} }}}}) as r")
    return "\nunion all\n".join(parts)


def _by_key(rows: list[Row]) -> dict[tuple[str, str, int, str], Row]:
    return {(r["test_id"], r["area"], int(r["conf_index"]), r["measure"]): r for r in rows}


def _phe_expected() -> dict[tuple[str, str], Row]:
    return {(r["test_id"], r["area"]): r for r in expected_rows(FIXTURES / "phe" / "sii_expected.csv")}


@pytest.fixture(scope="module")
def phe_from_limits(vector_db: VectorDb) -> dict[tuple[str, str, int, str], Row]:
    return _by_key(vector_db.show(_phe_sql("inequality_sii_phe")))


def test_phe_sii_points_and_analytic_limits_for_every_case(phe_from_limits: dict) -> None:
    problems, compared, simulated = [], 0, 0
    for case, index, _ in _phe_cases():
        for area in ("area1", "area2"):
            want = _phe_expected()[(case["test_id"], area)]
            for measure in ("sii", "rii"):
                got = phe_from_limits[(case["test_id"], area, index, measure)]
                assert int(got["n_groups"]) == (5 if case["test_id"] == "T06" else 10)
                checks = [("estimate", want[measure], POINT_REL),
                          ("ci_lower", want[f"analytic_{measure}_lower_conf{index}"], POINT_REL),
                          ("ci_upper", want[f"analytic_{measure}_upper_conf{index}"], POINT_REL),
                          ("ci_lower", want[f"{measure}_lower_conf{index}"], SIMULATED_REL),
                          ("ci_upper", want[f"{measure}_upper_conf{index}"], SIMULATED_REL)]  # fmt: skip
                for column, expected, rel in checks:
                    if expected is None:  # rii not asked for (T13, T22); no simulated limits stored (T06)
                        continue
                    compared += 1
                    simulated += rel == SIMULATED_REL
                    if not _close(got[column], expected, rel):
                        problems.append(f"{case['test_id']} {area} {measure} {column}: {got[column]} vs {expected}")
    assert not problems, "\n".join(problems)
    assert compared == 480 and simulated == 184  # 22 cases with 25 confidence levels, 2 areas, 2 measures


def test_phe_sii_intercept_through_the_fit_macro(vector_db: VectorDb) -> None:
    rows = vector_db.show(_phe_sql("inequality_sii_phe_fit", confidence=False).replace("r.*", "r.*, 'fit' as measure"))
    got = _by_key(rows)
    cases = [c for c, i, _ in _phe_cases() if c["intercept"] and i == 1]
    assert len(cases) == 11
    for case in cases:
        for area in ("area1", "area2"):
            want = _phe_expected()[(case["test_id"], area)]["intercept"]
            assert _close(got[(case["test_id"], area, 1, "fit")]["intercept"], want, POINT_REL), (case["test_id"], area)


def test_phe_sii_from_the_se_column_on_either_scale(vector_db: VectorDb, phe_from_limits: dict) -> None:
    """se_scale='transformed' takes StandardError as PHE does (ln / logit scale for rates / proportions);
    se_scale='estimate' (the contract) takes the same SE brought to the estimate's scale by the delta method."""
    transformed = _by_key(vector_db.show(_phe_sql("inequality_sii_phe", "StandardError", ", se_scale='transformed'")))
    on_estimate_scale = ("StandardError * case ValueType when 1 then Value when 2 then Value * (1 - Value) else 1 end")
    estimate_scale = _by_key(vector_db.show(_phe_sql("inequality_sii_phe", on_estimate_scale, "")))
    assert transformed.keys() == estimate_scale.keys() == phe_from_limits.keys() and len(transformed) == 100
    for key, row in transformed.items():
        for column in ("estimate", "se", "ci_lower", "ci_upper"):
            assert _close(estimate_scale[key][column], float(row[column]), 1e-9), (key, column)
        assert _close(row["estimate"], float(phe_from_limits[key]["estimate"]), 1e-12), key
        for column in ("ci_lower", "ci_upper"):  # 1.96 vs qnorm(0.975) in the subgroup SEs
            assert _close(row[column], float(phe_from_limits[key][column]), 1e-4), (key, column)


def _subgroups(rows: list[tuple[Any, ...]]) -> str:
    """A hand-made relation: rows of (comparison, subgroup_order, estimate, se, population)."""
    values = ", ".join(f"('{c}', {o if o is not None else 'null'}, {e}, {s}, {p})" for c, o, e, s, p in rows)
    return (f"(select comparison, subgroup_order, estimate, se, population, true as is_favourable,"
            f" cast(100 as double) as indicator_scale, false as is_reference from (values {values})"
            f" as t (comparison, subgroup_order, estimate, se, population)) as v")  # fmt: skip


def _measures(db: VectorDb, macro: str, relation: str, args: str = "") -> dict[tuple[str, str], Row]:
    rows = db.show(f'{{{{ {macro}("{relation}", "comparison"{args}) }}}}')
    return {(r["comparison"], r["measure"]): r for r in rows}


def test_phe_sii_worked_examples(vector_db: VectorDb) -> None:
    quintiles = [(o, 40 + 5 * o, 2.0, 1000 + 100 * o) for o in range(1, 6)]
    rows = [("complete", *q) for q in quintiles]
    rows += [("missing_q3", *q) for q in quintiles if q[0] != 3]
    rows += [("q3_zero_population", *q[:3], 0 if q[0] == 3 else q[3]) for q in quintiles]
    rows += [("only_4_groups", *q) for q in quintiles if q[0] != 5]
    rows += [("duplicate_q2", *q) for q in quintiles] + [("duplicate_q2", 2, 50, 2.0, 900)]
    rows += [("equal", o, 70, 2.0, p) for o, _, _, p in quintiles]
    rows += [("se_missing", o, e, "null" if o == 4 else s, p) for o, e, s, p in quintiles]
    rows += [("nothing_usable", o, "null", 2.0, p) for o, _, _, p in quintiles]
    got = _measures(vector_db, "inequality_sii_phe", _subgroups(rows))
    assert len(got) == 16
    # complete: y = 40 + 5 k is linear in the quintile, not in the ridit; the slope is positive, rii > 1
    assert float(got[("complete", "sii")]["estimate"]) > 0 and float(got[("complete", "rii")]["estimate"]) > 1
    for comparison, n_groups in [("missing_q3", 4), ("q3_zero_population", 4), ("only_4_groups", 4),
                                 ("duplicate_q2", 6), ("nothing_usable", 0)]:  # fmt: skip
        for measure in ("sii", "rii"):
            row = got[(comparison, measure)]
            assert row["estimate"] is None and row["ci_lower"] is None and row["se"] is None, (comparison, measure)
            assert int(row["n_groups"]) == n_groups, comparison
    assert abs(float(got[("equal", "sii")]["estimate"])) < 1e-12
    assert abs(float(got[("equal", "rii")]["estimate"]) - 1) < 1e-12
    assert float(got[("equal", "sii")]["ci_lower"]) < 0 < float(got[("equal", "sii")]["ci_upper"])
    missing_se = got[("se_missing", "sii")]
    assert _close(missing_se["estimate"], float(got[("complete", "sii")]["estimate"]), 1e-12)
    assert missing_se["se"] is None and missing_se["ci_lower"] is None and missing_se["ci_upper"] is None


def test_phe_sii_partition_columns_none_or_several(vector_db: VectorDb) -> None:
    relation = _phe_relation({"input_record_from": 1, "input_record_to": 20}, "StandardError")
    several = vector_db.show(f'{{{{ inequality_sii_phe("{relation}", ["area", "is_favourable"]) }}}}')
    assert len(several) == 4
    assert {(r["area"], r["is_favourable"]) for r in several} == {("area1", True), ("area2", True)}
    area1 = _phe_relation({"input_record_from": 1, "input_record_to": 10}, "StandardError")
    whole = vector_db.show(f'{{{{ inequality_sii_phe("{area1}", []) }}}}')
    by_measure = {r["measure"]: r for r in several if r["area"] == "area1"}
    assert len(whole) == 2 and set(whole[0]) == {"measure", "estimate", "se", "ci_lower", "ci_upper", "n_groups"}
    for row in whole:
        assert _close(row["estimate"], float(by_measure[row["measure"]]["estimate"]), 1e-12)


def test_phe_sii_rejects_a_transform_of_a_normal_value(vector_db: VectorDb) -> None:
    run = vector_db.run_show('{{ inequality_sii_phe("phe.sii_inputs", ["Area"], transform=true) }}')
    assert not run.success
    messages, error = [], run.exception
    while error is not None:
        messages.append(str(error))
        error = error.__cause__ or error.__context__
    assert "true only for value_type 1 or 2" in "\n".join(messages)


# ---------------------------------------------------------------------------------------- WHO HEAT logistic SII/RII


def _heat_check(got: Row, estimate: float, se: float, lower: float, upper: float, rel: float, scale: float) -> None:
    assert _close(got["estimate"], estimate, rel), (got, estimate)
    assert _close(float(got["se"]) / scale, se, rel), (got, se)
    assert _close(got["ci_lower"], lower, rel) and _close(got["ci_upper"], upper, rel), (got, lower, upper)
    assert int(got["n_groups"]) == 5


def test_heat_logistic_sii_rii_healthequal_unit_test(vector_db: VectorDb) -> None:
    relation = ("(select 'unit' as comparison, subgroup_order, est as estimate, se, pop as population,"
                " favourable_indicator = 1 as is_favourable, indicator_scale, false as is_reference"
                " from heat.unit_ordered_inputs) as v")  # fmt: skip
    got = _measures(vector_db, "inequality_sii_logistic", relation)
    expected = [r for r in expected_rows(FIXTURES / "heat" / "unit_expected.csv") if r["measure"] in ("sii", "rii")]
    assert len(expected) == 2 and len(got) == 2
    for want in expected:
        scale = 100.0 if want["measure"] == "sii" else 1.0
        _heat_check(got[("unit", want["measure"] + "_logistic")], want["expected_estimate"], want["expected_se"],
                    want["expected_lowerci"], want["expected_upperci"], want["relative_tolerance"], scale)  # fmt: skip


def test_heat_logistic_sii_rii_sample_data_with_indicator_scale(vector_db: VectorDb) -> None:
    rows = vector_db.show("{{ inequality_sii_logistic('heat.sample_ordered_inputs', ['indicator', 'dimension']) }}")
    got = {(r["indicator"], r["measure"]): r for r in rows}
    inputs = expected_rows(FIXTURES / "heat" / "sample_ordered_inputs.csv")
    scales = {r["indicator"]: r["indicator_scale"] for r in inputs}
    expected = [r for r in expected_rows(FIXTURES / "heat" / "sample_expected.csv")
                if r["measure"] in ("sii", "rii") and str(r["params"]).startswith("heat_measures_indicator_scale")]
    assert len(expected) == 4 and len(got) == 4
    for want in expected:
        scale = scales[want["indicator"]] if want["measure"] == "sii" else 1.0
        _heat_check(got[(want["indicator"], want["measure"] + "_logistic")], want["estimate"], want["se"],
                    want["lowerci"], want["upperci"], POINT_REL, scale)  # fmt: skip


def test_heat_logistic_worked_examples(vector_db: VectorDb) -> None:
    pops = [100, 200, 300, 400, 500]
    rows = [("equal", o, 20, 1.0, p) for o, p in enumerate(pops, 1)]  # 20% of each population: exact counts
    rows += [("two_groups", o, 20 * o, 1.0, 100) for o in (1, 2)]
    rows += [("above_scale", o, 30 + 20 * o, 1.0, 100) for o in range(1, 6)]  # 130 > 100
    # R's round() sends halves to the even neighbour: 10, 50, 70, 90% of 5 -> 0, 2, 4, 4 successes (half-up: 1, 3, 4, 5)
    rows += [("halves", o, e, 1.0, 5) for o, e in enumerate([10, 50, 70, 90], 1)]
    rows += [("exact", o, e, 1.0, 5) for o, e in enumerate([0, 40, 80, 80], 1)]
    got = _measures(vector_db, "inequality_sii_logistic", _subgroups(rows))
    assert abs(float(got[("equal", "sii_logistic")]["estimate"])) < 1e-12
    assert abs(float(got[("equal", "rii_logistic")]["estimate"]) - 1) < 1e-12
    for comparison in ("two_groups", "above_scale"):
        for measure in ("sii_logistic", "rii_logistic"):
            assert got[(comparison, measure)]["estimate"] is None and got[(comparison, measure)]["se"] is None
    for measure in ("sii_logistic", "rii_logistic"):
        for column in ("estimate", "se", "ci_lower", "ci_upper"):
            assert _close(got[("halves", measure)][column], float(got[("exact", measure)][column]), 1e-12)
    # a fixed number of Newton steps: 8 already agree with the default 25 to double precision
    few = _measures(vector_db, "inequality_sii_logistic", _subgroups(rows), ", iterations=8")
    for measure in ("sii_logistic", "rii_logistic"):
        assert _close(few[("halves", measure)]["estimate"], float(got[("halves", measure)]["estimate"]), 1e-12)
