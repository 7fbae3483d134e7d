"""A scratch DuckDB warehouse holding published test vectors, for testing SQL macros with `dbt show --inline`.

Each fixture folder (tests/fixtures/<name>) becomes a schema of the same name with one table per CSV and a
`row_id` column (1-based line order). The named seeds are built into it too, so macros that read lookup seeds
work. Expected values are read from the same CSVs in Python (`expected_rows`) and compared with `mismatches`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from dbt_helpers import MINI_EXTRACT, DbtRun, DbtRunError, run_dbt

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LOOKUP_SEEDS = ("ref_z_values", "ref_t_values", "ref_poisson_exact_limits")
Row = dict[str, Any]


@dataclass
class VectorDb:
    """The scratch warehouse: vector schemas plus the lookup seeds."""

    path: Path
    work_dir: Path
    seed_build: DbtRun

    def run_show(self, sql: str) -> DbtRun:
        return run_dbt(["show", "--inline", sql, "--limit", "-1"], extract_dir=MINI_EXTRACT,
                       duckdb_path=self.path, work_dir=self.work_dir)  # fmt: skip

    def show(self, sql: str) -> list[Row]:
        """The rows of `sql` (Jinja: our macros, ref() to the seeds) as dicts, compiled and run by dbt."""
        run = self.run_show(sql)
        if not run.success:
            raise DbtRunError("dbt show failed:\n  " + "\n  ".join(run.problems()))
        table = run.results[0].agate_table
        return [dict(zip(table.column_names, row, strict=True)) for row in table.rows]


def load_vectors(database: Path, work_dir: Path, folders: Sequence[str]) -> None:
    """Load every CSV of tests/fixtures/<folder> into schema <folder>, with a row_id column."""
    with duckdb.connect(str(database)) as con:
        for folder in folders:
            con.execute(f"create schema if not exists {folder}")
            for source in sorted((FIXTURES / folder).glob("*.csv")):
                with source.open(newline="") as f:
                    lines = list(csv.reader(f))
                numbered = work_dir / f"{folder}__{source.name}"
                with numbered.open("w", newline="") as f:
                    csv.writer(f).writerows(
                        [["row_id", *lines[0]], *([i, *line] for i, line in enumerate(lines[1:], 1))]
                    )
                con.execute(
                    f"create table {folder}.{source.stem} as select * from read_csv('{numbered}', header = true)"
                )


def build_vector_db(work_dir: Path, folders: Sequence[str], seeds: Sequence[str] = LOOKUP_SEEDS) -> VectorDb:
    database = work_dir / "vectors.duckdb"
    load_vectors(database, work_dir, folders)
    seed_build = run_dbt(["build", "--select", *seeds], extract_dir=MINI_EXTRACT,
                         duckdb_path=database, work_dir=work_dir)  # fmt: skip
    if not seed_build.success:
        raise DbtRunError("dbt build of the lookup seeds failed:\n  " + "\n  ".join(seed_build.problems()))
    return VectorDb(database, work_dir, seed_build)


def parse_value(text: str) -> Any:
    """A CSV cell: numbers as floats, empty / NaN / NA as None, True / False as booleans, else the text."""
    if text in ("", "NA", "NaN", "nan"):
        return None
    if text in ("True", "False"):
        return text == "True"
    try:
        return float(text)
    except ValueError:
        return text


def expected_rows(path: Path) -> list[Row]:
    """A vector CSV as dicts (cells parsed by parse_value), with row_id as in the loaded table."""
    with path.open(newline="") as f:
        return [
            {"row_id": i, **{k: parse_value(v) for k, v in row.items()}} for i, row in enumerate(csv.DictReader(f), 1)
        ]


def matches(actual: Any, expected: Any, rel: float) -> bool:
    if expected is None:
        return actual is None
    if actual is None:
        return False
    return math.isclose(float(actual), float(expected), rel_tol=rel, abs_tol=0.0 if expected else 1e-15)


def _key(value: Any) -> Any:
    """Numeric keys as int (dbt show returns Decimal, the CSV float), anything else as it is."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    return value


def mismatches(
    actual: Iterable[Row],
    expected: Iterable[Row],
    columns: Mapping[str, str],
    rel: float,
    key: str = "row_id",
) -> list[str]:
    """Compare actual[column] with expected[expected_column] for each (column -> expected_column) on matching keys;
    one line per difference (a missing or extra key counts too)."""
    actual_by_key = {_key(row[key]): row for row in actual}
    expected_by_key = {_key(row[key]): row for row in expected}
    problems = [f"{key} {k}: missing from the result" for k in expected_by_key.keys() - actual_by_key.keys()]
    problems += [f"{key} {k}: unexpected row" for k in actual_by_key.keys() - expected_by_key.keys()]
    for k in sorted(expected_by_key.keys() & actual_by_key.keys(), key=str):
        for column, expected_column in columns.items():
            got, want = actual_by_key[k][column], expected_by_key[k][expected_column]
            if not matches(got, want, rel):
                problems.append(f"{key} {k} {column}: got {got}, expected {want}")
    return problems
