"""The QI project list's formats on the hand-made extract (tests/fixtures/mini_extract, practices F84001 and
F84002): the original eight columns stay valid, the optional practice_start_dates column splits a staggered project
into start cohorts (int_qi__evaluations), and a start-date list that does not match the practices fails the build
naming the check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from dbt_helpers import MINI_EXTRACT, run_dbt

HEADER = "project_id,title,indicator,clinical_area,practice_codes,comparison_practice_codes,start_date,end_date"


def _build(tmp_path: Path, csv_text: str) -> tuple[bool, Path, dict[str, str]]:
    extract = tmp_path / "extract"
    shutil.copytree(MINI_EXTRACT, extract)
    (extract / "qi_projects.csv").write_text(csv_text)
    database = tmp_path / "wh.duckdb"
    # cautious: only the tests of the selected models (not relationships tests of models downstream)
    command = ["build", "-s", "+int_qi__evaluations", "--indirect-selection", "cautious"]
    run = run_dbt(command, extract_dir=extract, duckdb_path=database, work_dir=tmp_path)
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    return run.success, database, {r["unique_id"].split(".")[2]: r["status"] for r in results}


def _evaluations(database: Path) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("""
            select evaluation_id, project_id, practice_codes, cast(start_date as varchar), n_start_cohorts
            from intermediate.int_qi__evaluations order by evaluation_id
        """).fetchall()


def test_the_original_format_is_one_evaluation_per_project(tmp_path: Path) -> None:
    ok, database, _ = _build(tmp_path, f"{HEADER}\nP1,one,HYP008,hypertension,F84001|F84002,,2022-04-01,2024-03-31\n")
    assert ok
    assert _evaluations(database) == [("P1", "P1", "F84001|F84002", "2022-04-01", 1)]


def test_practice_start_dates_split_a_project_into_start_cohorts(tmp_path: Path) -> None:
    ok, database, _ = _build(tmp_path, (
        f"{HEADER},practice_start_dates\n"
        "P1,staggered,HYP008,hypertension,F84001|F84002,,2022-04-01,2024-03-31,2022-04-01|2023-01-01\n"
        "P2,same date,HYP008,hypertension,F84001|F84002,,2022-04-01,2024-03-31,2022-06-01|2022-06-01\n"
        "P3,plain,HYP008,hypertension,F84002,,2022-04-01,2024-03-31,\n"
    ))
    assert ok
    assert _evaluations(database) == [
        ("P1@2022-04-01", "P1", "F84001", "2022-04-01", 2),
        ("P1@2023-01-01", "P1", "F84002", "2023-01-01", 2),
        ("P2", "P2", "F84001|F84002", "2022-06-01", 1),
        ("P3", "P3", "F84002", "2022-04-01", 1),
    ]


def test_start_dates_must_match_the_practices_and_the_project(tmp_path: Path) -> None:
    ok, _, statuses = _build(tmp_path, (
        f"{HEADER},practice_start_dates\n"
        "P1,too few dates,HYP008,hypertension,F84001|F84002,,2022-04-01,2024-03-31,2022-04-01\n"
        "P2,after the end,HYP008,hypertension,F84001,,2022-04-01,2024-03-31,2024-06-01\n"
    ))
    assert not ok
    assert statuses["qi_practice_start_dates_one_per_listed_practice"] == "fail"
    assert statuses["qi_practice_start_dates_inside_the_project"] == "fail"
