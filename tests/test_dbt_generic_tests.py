"""Our generic tests (macros/tests/) pass and fail when they should.

tests/dbt_fixtures/generic_tests/ holds tiny worked-example models (tag generic_test_fixture, excluded from
default runs by selectors.yml) with each generic test applied several times: cases that must pass and cases that
must fail, the latter declaring the number of failing rows in config.meta.expected_failures.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from dbt_helpers import MINI_EXTRACT, DbtRun, run_dbt

GENERIC_TESTS = (
    "expression_is_true",
    "unique_combination_of_columns",
    "accepted_range",
    "row_count_reconciles",
    "periods_do_not_overlap",
)


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    work_dir = tmp_path_factory.mktemp("generic_tests")
    return run_dbt(
        ["build", "--select", "tag:generic_test_fixture"],
        extract_dir=MINI_EXTRACT,  # the on-run-start hook registers an extract on every run
        duckdb_path=work_dir / "equity_qi.duckdb",
        work_dir=work_dir,
    )


def _test_results(run: DbtRun) -> list:
    return [result for result in run.results if result.node.resource_type == "test"]


def test_fixture_models_build(fixture_run: DbtRun) -> None:
    models = [result for result in fixture_run.results if result.node.resource_type == "model"]
    assert sorted(result.node.name for result in models) == [
        "fixture_generic_tests__invoices",
        "fixture_generic_tests__kept_records",
        "fixture_generic_tests__periods",
        "fixture_generic_tests__raw_records",
        "fixture_generic_tests__set_aside_records",
    ]
    assert {str(result.status) for result in models} == {"success"}


def test_each_generic_test_has_passing_and_failing_examples(fixture_run: DbtRun) -> None:
    outcomes: dict[str, set[str]] = defaultdict(set)
    for result in _test_results(fixture_run):
        outcomes[result.node.test_metadata.name].add(str(result.status))
    assert {name: outcomes[name] for name in GENERIC_TESTS} == {name: {"pass", "fail"} for name in GENERIC_TESTS}


def test_every_example_has_its_expected_outcome(fixture_run: DbtRun) -> None:
    results = _test_results(fixture_run)
    assert len(results) == 19
    unexpected = []
    for result in results:
        expected_failures = result.node.config.meta.get("expected_failures", 0)
        expected = ("fail", expected_failures) if expected_failures else ("pass", 0)
        actual = (str(result.status), result.failures or 0)
        if actual != expected:
            unexpected.append(f"{result.node.name}: expected {expected}, got {actual} ({result.message})")
    assert not unexpected, "\n".join(unexpected)


def test_fixtures_stay_out_of_the_default_selection(tmp_path: Path) -> None:
    def listed(*select: str) -> list[str]:
        run = run_dbt(["ls", "--output", "name", *select], extract_dir=MINI_EXTRACT,
                      duckdb_path=tmp_path / "wh.duckdb", work_dir=tmp_path)  # fmt: skip
        assert run.success, run.problems()
        return run.listed

    default = listed()
    assert "fct_practice_list_size" in default
    assert not [name for name in default if "generic_tests" in name or "__passes" in name or "__fails" in name]
    assert "row_count_reconciles__passes_with_where" in listed("--select", "tag:generic_test_fixture")


def test_row_count_reconciles_reports_both_counts(tmp_path: Path) -> None:
    """On failure the test returns the two counts and their difference (7 raw rows vs 4 kept)."""
    import duckdb

    work_dir = tmp_path
    duckdb_path = work_dir / "equity_qi.duckdb"
    run = run_dbt(
        ["build", "--select", "+row_count_reconciles__fails_on_missing_term", "--store-failures"],
        extract_dir=MINI_EXTRACT,
        duckdb_path=duckdb_path,
        work_dir=work_dir,
    )
    assert not run.success
    connection = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        rows = connection.execute(
            "select model_row_count, expected_row_count, difference "
            "from dbt_test__audit.row_count_reconciles__fails_on_missing_term"
        ).fetchall()
    finally:
        connection.close()
    assert rows == [(7, 4, 3)]
