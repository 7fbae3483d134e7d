"""inequality_concentration_index (macros/inequality/concentration) reproduces published concentration indices.

Vectors (tests/fixtures/heat and tests/fixtures/conc; see their README.md), loaded into a scratch DuckDB file by
tests/vector_db.py and evaluated with `dbt show --inline`:
- heat/unit_expected.csv aci / rci: healthequal's unit tests (convenient-regression SE), each row's own tolerance;
- heat/sample_expected.csv aci / rci rows: healthequal 1.0.1 on its sample data (params `default` = regression SE,
  bounded Wagstaff / Erreygers) and the HEAT Technical Notes analytic SE, estimate, se and limits to 1e-6;
- conc/grouped_expected.csv: C, generalised CI, Erreygers and Wagstaff to 1e-6;
- conc/micro_housing_*: rineq ci() on 10,000 individuals, each a subgroup of population 1 ranked by income (ties
  by id, as rank_wt): CI, CIg, CIc (observed range) and CIw, and the `direct` (Kakwani) SE, to 1e-6.
Plus the NULL rules of the contract, tie handling, the whole-relation form and the se_method check.
"""

from __future__ import annotations

from typing import Any

import pytest

from vector_db import FIXTURES, VectorDb, build_vector_db, expected_rows, matches, mismatches

REL = 1e-6
Row = dict[str, Any]
LIMITS = {"estimate": "estimate", "se": "se", "ci_lower": "lowerci", "ci_upper": "upperci"}

UNIT = """(select 'unit_ordered' as dataset, subgroup_order, est as estimate, se, pop as population,
    favourable_indicator = 1 as is_favourable, indicator_scale, false as is_reference
    from heat.unit_ordered_inputs) as unit_subgroups"""
SAMPLE = """(select indicator, subgroup_order, estimate, se, population, favourable_indicator = 1 as is_favourable,
    indicator_scale, false as is_reference from {table}) as sample_subgroups"""
MICRO = """(select outcome, cast(row_number() over (partition by outcome order by income, id) as integer)
        as subgroup_order, estimate, cast(null as double) as se, 1.0 as population, false as is_favourable,
        indicator_scale, false as is_reference
    from (
        select id, income, 'bmi' as outcome, bmi as estimate, 100.0 as indicator_scale from conc.micro_housing_inputs
        union all
        select id, income, 'high_bmi', high_bmi, 1.0 from conc.micro_housing_inputs
    ) as by_outcome) as housing"""


@pytest.fixture(scope="module")
def conc_db(tmp_path_factory: pytest.TempPathFactory) -> VectorDb:
    return build_vector_db(tmp_path_factory.mktemp("inequality_concentration"), ["heat", "conc"])


def concentration(db: VectorDb, relation: str, partition_by: list[str], **kwargs: Any) -> list[Row]:
    """The macro's rows over `relation` (SQL text), keyword arguments passed as Python literals."""
    arguments = "".join(f", {name}={value!r}" for name, value in kwargs.items())
    return db.show(
        f"{{% set relation %}}{relation}{{% endset %}}"
        f"{{{{ inequality_concentration_index(relation, {partition_by!r}{arguments}) }}}}"
    )


def keyed(rows: list[Row], *columns: str) -> list[Row]:
    """The rows with a `key` column joining `columns` (to compare on a composite key)."""
    return [{**row, "key": "|".join(str(row[c]) for c in columns)} for row in rows]


def test_unit_ordered_matches_healthequal_regression_se(conc_db: VectorDb) -> None:
    rows = keyed(concentration(conc_db, UNIT, ["dataset"], se_method="regression"), "dataset", "measure")
    vectors = expected_rows(FIXTURES / "heat" / "unit_expected.csv")
    expected = [row for row in vectors if row["measure"] in ("aci", "rci")]
    assert len(expected) == 2
    for want in expected:
        got = [row for row in rows if row["key"] == f"unit_ordered|{want['measure']}"]
        assert len(got) == 1 and got[0]["n_groups"] == 5
        columns = {column: f"expected_{name}" for column, name in LIMITS.items()}
        assert mismatches(got, [{**want, "key": got[0]["key"]}], columns, want["relative_tolerance"], "key") == []


@pytest.mark.parametrize(
    ("params", "se_method", "measures"),
    [
        ("default", "regression", {"aci": "aci", "rci": "rci"}),
        ("bounded_wagstaff_lmin0_lmax_indicator_scale", "regression", {"rci": "rci_wagstaff"}),
        ("bounded_erreygers_lmin0_lmax_indicator_scale", "regression", {"rci": "rci_erreygers"}),
        ("heat_technical_notes_analytic_se", "analytic", {"aci": "aci", "rci": "rci"}),
    ],
)
def test_sample_ordered_matches_healthequal(
    conc_db: VectorDb, params: str, se_method: str, measures: dict[str, str]
) -> None:
    relation = SAMPLE.format(table="heat.sample_ordered_inputs")
    rows = keyed(concentration(conc_db, relation, ["indicator"], se_method=se_method), "indicator", "measure")
    expected = [
        {**row, "key": f"{row['indicator']}|{measures[row['measure']]}"}
        for row in expected_rows(FIXTURES / "heat" / "sample_expected.csv")
        if row["dataset"] == "OrderedSampleMultipleind" and row["params"] == params and row["measure"] in measures
    ]
    assert len(expected) == 2 * len(measures)
    wanted = {row["key"] for row in expected}
    assert mismatches([r for r in rows if r["key"] in wanted], expected, LIMITS, REL, "key") == []
    assert {row["n_groups"] for row in rows} == {5}


def test_grouped_concentration_indices(conc_db: VectorDb) -> None:
    rows = concentration(conc_db, SAMPLE.format(table="conc.grouped_inputs"), ["indicator"])
    by_measure = {m: [r for r in rows if r["measure"] == m] for m in ("aci", "rci", "rci_wagstaff", "rci_erreygers")}
    expected = expected_rows(FIXTURES / "conc" / "grouped_expected.csv")
    for measure, column in [("rci", "relative_ci"), ("rci", "relative_ci_kakwani_form"),
                            ("aci", "absolute_ci_generalised"), ("rci_erreygers", "erreygers_E"),
                            ("rci_wagstaff", "wagstaff_W")]:  # fmt: skip
        assert mismatches(by_measure[measure], expected, {"estimate": column}, REL, "indicator") == [], measure


def test_micro_housing_matches_rineq_direct(conc_db: VectorDb) -> None:
    scale_bounds = concentration(conc_db, MICRO, ["outcome"], se_method="kakwani")
    observed_range = concentration(
        conc_db, MICRO, ["outcome"], se_method="kakwani", lower_bound="min(estimate)", upper_bound="max(estimate)"
    )
    measure_of = {"CI": "rci", "CIg": "aci", "CIw": "rci_wagstaff", "CIc": "rci_erreygers"}
    actual = keyed(
        [r for r in scale_bounds if r["measure"] != "rci_erreygers"]
        + [r for r in observed_range if r["measure"] == "rci_erreygers"],
        "outcome",
        "measure",
    )
    expected = [
        {**row, "key": f"{row['outcome']}|{measure_of[row['type']]}"}
        for row in expected_rows(FIXTURES / "conc" / "micro_housing_expected.csv")
        if row["method"] == "direct" and row["df_correction"] is True
    ]
    assert {row["key"] for row in expected} == {
        "bmi|rci", "bmi|aci", "bmi|rci_erreygers", "high_bmi|rci_wagstaff", "high_bmi|rci"
    }  # fmt: skip
    wanted = {row["key"] for row in expected}
    columns = {"estimate": "concentration_index", "se": "se"}
    assert mismatches([r for r in actual if r["key"] in wanted], expected, columns, REL, "key") == []
    assert matches(next(r["estimate"] for r in actual if r["key"] == "bmi|rci"), 0.1210040457, 1e-9)
    assert {row["n_groups"] for row in actual} == {10000}


# One partition per NULL rule: (case, subgroup_order, estimate, se, population, indicator_scale)
NULL_CASES = [
    ("single", 1, 50.0, 5.0, 100.0, 100.0),
    ("zero_mean", 1, 0.0, 1.0, 100.0, 100.0), ("zero_mean", 2, 0.0, 1.0, 100.0, 100.0),
    ("zero_mean", 3, 0.0, 1.0, 100.0, 100.0),
    ("two_groups", 1, 40.0, 5.0, 100.0, 100.0), ("two_groups", 2, 60.0, 5.0, 100.0, 100.0),
    ("missing_se", 1, 40.0, 5.0, 100.0, 100.0), ("missing_se", 2, 50.0, None, 100.0, 100.0),
    ("missing_se", 3, 70.0, 5.0, 100.0, 100.0),
    ("unordered", None, 40.0, 5.0, 100.0, 100.0), ("unordered", None, 50.0, 5.0, 100.0, 100.0),
    ("unordered", None, 70.0, 5.0, 100.0, 100.0),
    ("ignored_rows", 1, 40.0, 5.0, 100.0, 100.0), ("ignored_rows", 2, None, 5.0, 100.0, 100.0),
    ("ignored_rows", 3, 50.0, 5.0, 0.0, 100.0), ("ignored_rows", 4, 70.0, 5.0, 120.0, 100.0),
    ("ignored_rows", 5, 90.0, 5.0, 80.0, 100.0),
    ("all_ignored", 1, None, 5.0, 100.0, 100.0), ("all_ignored", 2, 50.0, 5.0, None, 100.0),
    ("out_of_bounds", 1, 40.0, 5.0, 100.0, 100.0), ("out_of_bounds", 2, 90.0, 5.0, 100.0, 100.0),
    ("out_of_bounds", 3, 120.0, 5.0, 100.0, 100.0),
]  # fmt: skip


def _sql(value: Any, sql_type: str) -> str:
    return f"cast({'null' if value is None else value} as {sql_type})"


NULL_RELATION = (
    "("
    + " union all ".join(
        f"select '{case}' as case_id, {_sql(order, 'integer')} as subgroup_order, {_sql(est, 'double')} as estimate,"
        f" {_sql(se, 'double')} as se, {_sql(pop, 'double')} as population, true as is_favourable,"
        f" {_sql(scale, 'double')} as indicator_scale, false as is_reference"
        for case, order, est, se, pop, scale in NULL_CASES
    )
    + ") as null_cases"
)


def _by_case(rows: list[Row]) -> dict[tuple[str, str], Row]:
    return {(row["case_id"], row["measure"]): row for row in rows}


@pytest.mark.parametrize("se_method", ["analytic", "regression", "kakwani"])
def test_null_rules(conc_db: VectorDb, se_method: str) -> None:
    rows = _by_case(concentration(conc_db, NULL_RELATION, ["case_id"], se_method=se_method))
    measures = ("aci", "rci", "rci_wagstaff", "rci_erreygers")
    assert len(rows) == 4 * len({c[0] for c in NULL_CASES})
    n_groups = {"single": 1, "zero_mean": 3, "two_groups": 2, "missing_se": 3, "unordered": 3, "ignored_rows": 3,
                "all_ignored": 0, "out_of_bounds": 3}  # fmt: skip
    assert {case: rows[(case, "aci")]["n_groups"] for case in n_groups} == n_groups
    for case in ("single", "unordered", "all_ignored"):  # < 2 subgroups or non-ordered: everything NULL
        for m in measures:
            assert [rows[(case, m)][c] for c in ("estimate", "se", "ci_lower", "ci_upper")] == [None] * 4, (case, m)
    zero = {m: rows[("zero_mean", m)] for m in measures}
    assert zero["aci"]["estimate"] == 0 and zero["rci_erreygers"]["estimate"] == 0
    assert zero["rci"]["estimate"] is None and zero["rci_wagstaff"]["estimate"] is None
    assert zero["rci"]["se"] is None and zero["rci_erreygers"]["se"] is None
    assert (zero["aci"]["se"] is not None) == (se_method == "analytic")
    for m in measures:  # the ordered cases with 2+ subgroups always have estimates (within bounds)
        assert rows[("two_groups", m)]["estimate"] is not None and rows[("missing_se", m)]["estimate"] is not None
        assert (rows[("two_groups", m)]["se"] is None) == (se_method == "regression")
        assert (rows[("missing_se", m)]["se"] is None) == (se_method == "analytic")
        for case in ("two_groups", "missing_se"):  # no se, no limits
            if rows[(case, m)]["se"] is None:
                assert rows[(case, m)]["ci_lower"] is None and rows[(case, m)]["ci_upper"] is None
    out = {m: rows[("out_of_bounds", m)] for m in measures}
    assert out["aci"]["estimate"] is not None and out["rci"]["estimate"] is not None
    assert [out[m][c] for m in ("rci_wagstaff", "rci_erreygers") for c in ("estimate", "se")] == [None] * 4
    # ignored rows leave the three usable subgroups, ranked as if the others were absent
    usable = f"(select * from {NULL_RELATION} where estimate is not null and population > 0) as usable_cases"
    clean = _by_case(concentration(conc_db, usable, ["case_id"], se_method=se_method))
    for m in measures:
        for c in ("estimate", "se", "ci_lower", "ci_upper"):
            assert matches(rows[("ignored_rows", m)][c], clean[("ignored_rows", m)][c], 1e-12), (m, c)


def test_tied_orders_share_the_midpoint_rank_and_whole_relation_form(conc_db: VectorDb) -> None:
    """Splitting a subgroup into two tied halves with its estimate keeps the point estimates (rank_gwt); an empty
    partition_by treats the relation as one comparison and gives the same values as partitioning by a constant."""
    halves = " union all ".join(
        f"select dataset, subgroup_order, estimate, se, population / 2 as population, indicator_scale"
        f" from {UNIT.replace('unit_subgroups', alias)} where subgroup_order = 3"
        for alias in ("first_half", "second_half")
    )
    split = f"""(select dataset, subgroup_order, estimate, se, population, indicator_scale from {UNIT}
        where subgroup_order <> 3 union all {halves}) as split_subgroups"""
    whole = {r["measure"]: r for r in concentration(conc_db, UNIT, [], confidence=0.99)}
    by_dataset = {r["measure"]: r for r in concentration(conc_db, UNIT, ["dataset"], confidence=0.99)}
    tied = {r["measure"]: r for r in concentration(conc_db, split, "dataset")}
    assert set(whole) == set(by_dataset) == set(tied) == {"aci", "rci", "rci_wagstaff", "rci_erreygers"}
    assert "dataset" not in whole["aci"]
    for measure, row in whole.items():
        for column in ("estimate", "se", "ci_lower", "ci_upper", "n_groups"):
            assert matches(row[column], by_dataset[measure][column], 1e-12), (measure, column)
        assert matches(float(row["ci_upper"] - row["estimate"]), 2.5758293035489004 * float(row["se"]), 1e-9)
        assert matches(tied[measure]["estimate"], row["estimate"], 1e-12), measure
    assert tied["aci"]["n_groups"] == 6


def test_unknown_se_method_is_a_compiler_error(conc_db: VectorDb) -> None:
    run = conc_db.run_show(
        "{{ inequality_concentration_index('heat.unit_ordered_inputs', [], se_method='bootstrap') }}"
    )
    assert not run.success
    messages, error = [], run.exception
    while error is not None:  # dbt wraps the compilation error in "Error parsing inline query"
        messages.append(str(error))
        error = error.__cause__ or error.__context__
    assert "se_method must be 'analytic', 'regression' or 'kakwani', got bootstrap" in "\n".join(messages)

