"""bench/compare_marts.py, the numbers-unchanged check: equal marts pass, and every kind of difference (a changed
count, a double beyond 1e-12, a missing row or column, a rename not in the map) is reported."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "compare_marts.py"
spec = importlib.util.spec_from_file_location("compare_marts", SCRIPT)
compare_marts = importlib.util.module_from_spec(spec)
sys.modules["compare_marts"] = compare_marts
spec.loader.exec_module(compare_marts)

ROWS = [("A", 1, 10, 0.1), ("A", 1, 10, 0.1), ("B", 2, 5, 1e6)]


def _warehouse(path: Path, schema: str, rows: list[tuple], columns: str = "code, n, d, value") -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"create table {schema}.fct_x (code varchar, n integer, d bigint, value double)")
        con.executemany(f"insert into {schema}.fct_x values (?, ?, ?, ?)", rows)
        if columns != "code, n, d, value":
            con.execute(f"create or replace table {schema}.fct_x as select {columns} from {schema}.fct_x")
    return path


def _run(tmp_path: Path, candidate_rows: list[tuple], mapping: str = "", columns: str = "code, n, d, value") -> int:
    baseline = _warehouse(tmp_path / "base.duckdb", "main", ROWS)
    candidate = _warehouse(tmp_path / "cand.duckdb", "marts", candidate_rows, columns)
    map_file = tmp_path / "map.yml"
    map_file.write_text("baseline_schema: main\ncandidate_schema: marts\n" + mapping)
    return compare_marts.main([str(baseline), str(candidate), "--map", str(map_file)])


def test_equal_marts_pass_in_any_row_order_and_within_tolerance(tmp_path: Path, capsys) -> None:
    rows = [ROWS[2], ROWS[0], ("A", 1, 10, 0.1 + 1e-14)]
    assert _run(tmp_path, rows) == 0
    assert "1 of 1 marts equal" in capsys.readouterr().out


@pytest.mark.parametrize("rows", [
    [ROWS[0], ROWS[2]],                      # a duplicate row lost
    [ROWS[0], ROWS[0], ("B", 3, 5, 1e6)],    # a count changed
    [ROWS[0], ROWS[0], ("B", 2, 5, 1e6 * (1 + 1e-9))],  # a double beyond 1e-12 relative
    [ROWS[0], ("A", 1, 10, None), ROWS[2]],  # a value lost
])
def test_a_difference_fails(tmp_path: Path, rows: list[tuple], capsys) -> None:
    assert _run(tmp_path, rows) == 1
    assert "DIFFERENT" in capsys.readouterr().out


def test_renamed_columns_pass_only_through_the_map(tmp_path: Path) -> None:
    renamed = "code as practice_code, n, d, value"
    assert _run(tmp_path, ROWS, columns=renamed) == 1
    (tmp_path / "base.duckdb").unlink()
    (tmp_path / "cand.duckdb").unlink()
    assert _run(tmp_path, ROWS, mapping="columns: {code: practice_code}\n", columns=renamed) == 0


def test_a_listed_change_widens_the_tolerance_of_its_columns_only(tmp_path: Path) -> None:
    moved = [ROWS[0], ROWS[0], ("B", 2, 5, 1e6 * (1 + 1e-11))]
    change = "changes:\n  - {relation: fct_x, columns: [value], tolerance: 1.0e-10, reason: a fixed defect}\n"
    assert _run(tmp_path, moved) == 1
    for name in ("base.duckdb", "cand.duckdb"):
        (tmp_path / name).unlink()
    assert _run(tmp_path, moved, mapping=change) == 0
    for name in ("base.duckdb", "cand.duckdb"):
        (tmp_path / name).unlink()
    beyond = [ROWS[0], ROWS[0], ("B", 2, 5, 1e6 * (1 + 1e-9))]
    assert _run(tmp_path, beyond, mapping=change) == 1


def test_a_listed_change_drops_only_the_rows_it_names(tmp_path: Path) -> None:
    dropped = (
        "changes:\n  - relation: fct_x\n    columns: []\n    tolerance: 1.0e-12\n"
        "    dropped_rows: \"code = 'B'\"\n"
    )
    assert _run(tmp_path, ROWS[:2], dropped) == 0
    for name in ("base.duckdb", "cand.duckdb"):
        (tmp_path / name).unlink()
    # a row the change does not name is still missed
    assert _run(tmp_path, ROWS[:1], dropped) == 1
