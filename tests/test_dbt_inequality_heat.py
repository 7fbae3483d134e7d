"""The WHO HEAT measure macros (macros/inequality/heat) reproduce healthequal 1.0.1's published values.

Vectors: tests/fixtures/heat (see its README.md), loaded by tests/vector_db.py into schema `heat`.
- unit_expected.csv: healthequal's own unit-test expectations, each compared with the row's `relative_tolerance`
  (the package's tolerance, 1e-6 to 1e-3). The constants are rounded: most agree to 1e-7, PAR's CI (written with
  z = 1.96) to 2e-5, and the hard-coded TI and MLD estimates (5.0359201, 5.0524006) differ from the formula's value
  by 1.2e-5 and 9e-6 relative, inside their 1e-4 / 1e-3 tolerances (the same formulas match the sample-data TI / MLD
  that healthequal computed to 1e-13). Columns left empty (simulation CIs) are not asserted.
- sample_expected.csv: healthequal run on its sample data, compared to 1e-9 relative (every value agrees to about
  1e-13): the estimate of every row of a measure implemented here, and se / lowerci / upperci where
  `ci_reproducible` is True (the sim100_* rows have R RNG simulation CIs, not reproducible).
healthequal's paf() / parisk() take no reference subgroup (they always use the best group), so their inputs are
given with is_reference false; d / r / mdru / mdrw get the reference_subgroup column. PAF, TI and MLD are compared
with heat_compatible_se=true, which reports the SE as healthequal does (see _heat__macros.yml); the default
scaling and the delta-method SEs of BGSD / COV are checked against the same published numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from vector_db import FIXTURES as FIXTURE_ROOT
from vector_db import VectorDb, build_vector_db, expected_rows, matches

FIXTURES = FIXTURE_ROOT / "heat"
REL = 1e-9
Z95 = 1.959963984540054
Row = dict[str, Any]
Key = tuple[str, ...]

# measure -> (macro, relation uses the reference subgroup column, macro call's extra keyword arguments)
MEASURES: dict[str, tuple[str, bool, str]] = {
    "d": ("inequality_gap", True, ""),
    "r": ("inequality_gap", True, ""),
    "paf": ("inequality_attributable", False, ", heat_compatible_se=true"),
    "par": ("inequality_attributable", False, ", heat_compatible_se=true"),
    "bgv": ("inequality_between_group_variance", True, ""),
    "bgsd": ("inequality_between_group_variance", True, ""),
    "cov": ("inequality_between_group_variance", True, ""),
    **{m: ("inequality_mean_difference", True, "") for m in
       ["mdmu", "mdmw", "mdbu", "mdbw", "mdru", "mdrw", "idisu", "idisw"]},  # fmt: skip
    "ti": ("inequality_theil", True, ", heat_compatible_se=true"),
    "mld": ("inequality_theil", True, ", heat_compatible_se=true"),
}
COLUMNS = {"estimate": "estimate", "se": "se", "ci_lower": "lowerci", "ci_upper": "upperci"}
UNIT_COLUMNS = {column: "expected_" + name for column, name in COLUMNS.items()}


def _unit_relation(with_reference: bool) -> str:
    reference = "reference_subgroup = 1" if with_reference else "false"
    return f"""(
        select 'unit_ordered' as dataset, subgroup_order, cast(est as double) as estimate, cast(se as double) as se,
            cast(pop as double) as population, favourable_indicator = 1 as is_favourable,
            cast(indicator_scale as double) as indicator_scale, false as is_reference
        from heat.unit_ordered_inputs
        union all
        select 'unit_nonordered' as dataset, cast(null as integer) as subgroup_order, cast(est as double),
            cast(se as double), cast(pop as double), favourable_indicator = 1, cast(indicator_scale as double),
            {reference}
        from heat.unit_nonordered_inputs
    ) as unit_subgroups"""


def _sample_relation(ordered: bool, with_reference: bool) -> str:
    table = "sample_ordered_inputs" if ordered else "sample_nonordered_inputs"
    order = "subgroup_order" if ordered else "cast(null as integer)"
    reference = "reference_subgroup = 1" if with_reference and not ordered else "false"
    return f"""(
        select indicator, {order} as subgroup_order, estimate, se, population,
            favourable_indicator = 1 as is_favourable, indicator_scale, {reference} as is_reference
        from heat.{table}
    ) as sample_subgroups"""


@pytest.fixture(scope="module")
def heat_db(tmp_path_factory: pytest.TempPathFactory) -> VectorDb:
    return build_vector_db(tmp_path_factory.mktemp("inequality_heat"), ["heat"])


def _floats(row: Row) -> Row:
    """dbt show returns numbers as Decimal: make them float (n_groups int)."""
    return {k: (int(v) if k == "n_groups" else float(v)) if isinstance(v, (Decimal, int, float)) else v
            for k, v in row.items()}  # fmt: skip


def _run(db: VectorDb, macro: str, relation: str, partition: str, extra: str = "") -> dict[Key, Row]:
    rows = db.show(f"{{{{ {macro}({relation!r}, ['{partition}']{extra}) }}}}")
    return {(row[partition], row["measure"]): _floats(row) for row in rows}


def _compare(actual: Row | None, expected: Row, label: str, columns: dict[str, str], rel: float) -> list[str]:
    """One line per column (result column -> expected column) that differs by more than rel."""
    if actual is None:
        return [f"{label}: no row"]
    return [
        f"{label} {column}: got {actual[column]}, expected {expected[name]}"
        for column, name in columns.items()
        if not matches(actual[column], expected[name], rel)
    ]


def test_healthequal_unit_test_expectations(heat_db: VectorDb) -> None:
    expected = [row for row in expected_rows(FIXTURES / "unit_expected.csv") if row["measure"] in MEASURES]
    assert len(expected) == 16  # all but sii, rii, aci, rci (macros/inequality/regression, concentration)
    results: dict[Key, Row] = {}
    for macro, with_reference, extra in sorted(set(MEASURES.values())):
        results |= _run(heat_db, macro, _unit_relation(with_reference), "dataset", extra)
    problems = []
    for row in expected:
        columns = {c: n for c, n in UNIT_COLUMNS.items() if row[n] is not None}  # empty: simulation CI
        label = f"{row['dataset']} {row['measure']}"
        actual = results.get((row["dataset"], row["measure"]))
        problems += _compare(actual, row, label, columns, row["relative_tolerance"])
        if actual is not None:
            assert actual["n_groups"] == (5 if row["dataset"] == "unit_ordered" else 25), label
    assert not problems, "\n".join(problems)


def _sample_call(measure: str, params: str) -> tuple[bool, bool]:
    """(ordered, with_reference) of the sample relation a published row was computed from."""
    if params == "ordered":
        return True, False
    if measure in ("d", "r"):
        return False, params == "nonordered_ref"
    return False, MEASURES[measure][1]


def test_healthequal_sample_data_outputs(heat_db: VectorDb) -> None:
    expected = [row for row in expected_rows(FIXTURES / "sample_expected.csv") if row["measure"] in MEASURES]
    assert len(expected) == 46
    cache: dict[tuple[str, bool, bool], dict[Key, Row]] = {}
    problems, asserted = [], 0
    for row in expected:
        ordered, with_reference = _sample_call(row["measure"], row["params"])
        macro, _, extra = MEASURES[row["measure"]]
        if (macro, ordered, with_reference) not in cache:
            relation = _sample_relation(ordered, with_reference)
            cache[(macro, ordered, with_reference)] = _run(heat_db, macro, relation, "indicator", extra)
        actual = cache[(macro, ordered, with_reference)].get((row["indicator"], row["measure"]))
        columns = COLUMNS if row["ci_reproducible"] else {"estimate": "estimate"}
        problems += _compare(actual, row, f"{row['dataset']} {row['indicator'][:20]} {row['measure']} "
                                          f"{row['params']}", columns, REL)  # fmt: skip
        asserted += len(columns)
    assert not problems, "\n".join(problems)
    assert asserted == 26 * 4 + 20  # d, r, paf, par, bgv, ti, mld in full; 20 simulation rows: estimate only


def _published_nonordered() -> dict[Key, Row]:
    """The sample_expected rows of the non-ordered sample, by (indicator, measure), less the d / r variants."""
    return {(r["indicator"], r["measure"]): r for r in expected_rows(FIXTURES / "sample_expected.csv")
            if r["dataset"] == "NonorderedSampleMultipleind" and r["measure"] not in ("d", "r")}  # fmt: skip


def test_default_standard_errors_are_on_the_estimate_scale(heat_db: VectorDb) -> None:
    """Without heat_compatible_se the PAF SE is 100x and the TI / MLD SE 1000x healthequal's, PAR's is unchanged,
    and the CI is estimate -/+ z se; the published estimates are unchanged."""
    published = _published_nonordered()
    relation = _sample_relation(False, False)
    rows = _run(heat_db, "inequality_attributable", relation, "indicator")
    rows |= _run(heat_db, "inequality_theil", relation, "indicator")
    assert len(rows) == 8
    factors = {"paf": 100, "par": 1, "ti": 1000, "mld": 1000}
    for key, row in rows.items():
        want = published[key]
        assert matches(row["estimate"], want["estimate"], REL), key
        assert matches(row["se"], factors[key[1]] * want["se"], REL), key
        assert matches(row["ci_lower"], row["estimate"] - Z95 * row["se"], 1e-12), key
        assert matches(row["ci_upper"], row["estimate"] + Z95 * row["se"], 1e-12), key


def test_bgsd_and_cov_delta_method_from_the_published_bgv(heat_db: VectorDb) -> None:
    """se(bgsd) = se(bgv) / (2 bgsd) and se(cov) = 100 se(bgsd) / mu, from healthequal's published bgv SE (mu =
    100 bgsd / cov, both published); CI = estimate -/+ z se."""
    published = _published_nonordered()
    rows = _run(heat_db, "inequality_between_group_variance", _sample_relation(False, True), "indicator")
    indicators = {key[0] for key in rows}
    assert len(rows) == 6 and len(indicators) == 2
    for indicator in indicators:
        bgv, bgsd, cov = (published[(indicator, m)] for m in ("bgv", "bgsd", "cov"))
        mu = 100 * bgsd["estimate"] / cov["estimate"]
        bgsd_se = bgv["se"] / (2 * bgsd["estimate"])
        assert matches(rows[(indicator, "bgsd")]["se"], bgsd_se, REL), indicator
        assert matches(rows[(indicator, "cov")]["se"], 100 * bgsd_se / mu, REL), indicator
        for measure in ("bgsd", "cov"):
            row = rows[(indicator, measure)]
            assert matches(row["ci_lower"], row["estimate"] - Z95 * row["se"], 1e-12), (indicator, measure)
            assert matches(row["ci_upper"], row["estimate"] + Z95 * row["se"], 1e-12), (indicator, measure)


def test_mean_difference_measures_have_no_interval(heat_db: VectorDb) -> None:
    rows = _run(heat_db, "inequality_mean_difference", _sample_relation(False, True), "indicator")
    assert len(rows) == 16
    assert all(row["se"] is None and row["ci_lower"] is None and row["ci_upper"] is None for row in rows.values())
    # without a reference subgroup the mdru / mdrw rows are returned with a NULL estimate
    rows = _run(heat_db, "inequality_mean_difference", _sample_relation(False, False), "indicator")
    assert len(rows) == 16
    assert {key[1] for key, row in rows.items() if row["estimate"] is None} == {"mdru", "mdrw"}


def test_paf_uses_the_users_reference_subgroup_as_heat_measures(heat_db: VectorDb) -> None:
    """With a reference subgroup (aceh for SBA, borno for U5MR) HEAT-Measures' PAF / PAR use it, not the best
    group; mu is the population-weighted mean of the inputs."""
    inputs = expected_rows(FIXTURES / "sample_nonordered_inputs.csv")
    rows = _run(heat_db, "inequality_attributable", _sample_relation(False, True), "indicator")
    for indicator in {row["indicator"] for row in inputs}:
        subgroups = [row for row in inputs if row["indicator"] == indicator]
        mu = sum(r["estimate"] * r["population"] for r in subgroups) / sum(r["population"] for r in subgroups)
        reference = next(r for r in subgroups if r["reference_subgroup"] == 1)
        favourable = reference["favourable_indicator"] == 1
        par = reference["estimate"] - mu
        par = 0.0 if (favourable and par < 0) or (not favourable and par > 0) else par
        assert matches(rows[(indicator, "par")]["estimate"], par, 1e-9), indicator
        assert matches(rows[(indicator, "paf")]["estimate"], 100 * par / mu, 1e-9), indicator
    # aceh (95.1%) is above the SBA mean (91.6%), borno (87.3 per 1000) below the U5MR mean (119.7): both count
    assert rows[("Births attended by skilled health personnel (%)", "paf")]["estimate"] > 0
    assert rows[("Under-five mortality rate (deaths per 1000 live births)", "paf")]["estimate"] < 0
