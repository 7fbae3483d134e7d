"""Staggered adoption (issue 14 item 6) on a generated extract with planted truth: a hypertension project rolled
out in two start cohorts 18 months apart (generator config tests/fixtures/generator/qi_staggered.yaml; the
generator writes the per-practice start dates into qi_projects.csv's optional practice_start_dates column).

Checks: the project is evaluated as two cohorts, each from its own start (its own baseline and follow-up windows,
against the never-starting comparison practices); the practices' start dates in fct_qi_project_practices are the
planted ones; the mart's effects are the cohorts' estimates weighted by follow-up patients with the conservative SE
(recomputed here); the large planted improvement reads 'improved' in each cohort and in the verdict; the
late cohort's follow-up window holds no month before its start (forcing one start date would mix them).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from equity_qi.generator.engine import Options, generate

GENERATOR_CONFIG = Path(__file__).parent / "fixtures" / "generator" / "qi_staggered.yaml"
PROJECT = "QI-BP-S"
EARLY, LATE = dt.date(2022, 4, 1), dt.date(2023, 10, 1)


@pytest.fixture(scope="module")
def staggered(tmp_path_factory: pytest.TempPathFactory, dbt_warehouse) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("qi_staggered") / "extract"
    generate(Options(out=folder, patients=80_000, practices=36, seed=11, dirty_rate=0.01, fmt="parquet",
                     config=GENERATOR_CONFIG))
    truth = json.loads((folder / "ground_truth.json").read_text())
    return dbt_warehouse(folder), truth


def _rows(database: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(database), read_only=True) as con:
        cursor = con.execute(sql, [PROJECT])
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def test_the_extract_lists_each_practices_planted_start(staggered: tuple[Path, dict]) -> None:
    database, truth = staggered
    planted = next(p for p in truth["qi_projects"] if p["project_id"] == PROJECT)
    expected = dict(zip(planted["practice_codes"], planted["practice_start_dates"], strict=True))
    assert sorted(set(expected.values())) == [str(EARLY), str(LATE)]
    rows = _rows(database, """
        select practice_code, role, practice_start_date from marts.fct_qi_project_practices where project_id = ?
    """)
    starts = {r["practice_code"]: str(r["practice_start_date"]) for r in rows if r["role"] == "intervention"}
    assert starts == expected
    comparison = [r for r in rows if r["role"] == "comparison"]
    assert len(comparison) == 8 and all(r["practice_start_date"] is None for r in comparison)


def test_each_cohort_is_evaluated_from_its_own_start(staggered: tuple[Path, dict]) -> None:
    database, _ = staggered
    cohorts = _rows(database, """
        select evaluation_id, start_date, baseline_window_end, follow_up_window_start, level_effect,
            level_effect_se, n_intervention_practices, n_comparison_practices
        from intermediate.int_qi__did_effects where project_id = ? order by start_date
    """)
    assert [c["evaluation_id"] for c in cohorts] == [f"{PROJECT}@{EARLY}", f"{PROJECT}@{LATE}"]
    for cohort, start in zip(cohorts, (EARLY, LATE), strict=True):
        assert cohort["start_date"] == start
        assert cohort["baseline_window_end"] < start <= cohort["follow_up_window_start"]
        assert cohort["n_intervention_practices"] == 4 and cohort["n_comparison_practices"] == 8
        # the planted +0.25 per reading is clear in each cohort on its own
        assert cohort["level_effect"] - 1.96 * cohort["level_effect_se"] > 0, cohort


def test_the_project_aggregates_its_cohorts(staggered: tuple[Path, dict]) -> None:
    database, _ = staggered
    cohorts = _rows(database, """
        select n_patients_after, level_effect, level_effect_se, sii_effect, sii_effect_se
        from intermediate.int_qi__did_effects where project_id = ?
    """)
    [project] = _rows(database, "select * from marts.fct_qi_equity_impact where project_id = ?")
    weights = [c["n_patients_after"] for c in cohorts]
    assert project["n_start_cohorts"] == 2
    assert project["n_patients_after"] == sum(weights)
    assert project["n_intervention_practices"] == 8 and project["n_comparison_practices"] == 8
    for measure in ("level", "sii"):
        effect = sum(w * c[f"{measure}_effect"] for w, c in zip(weights, cohorts, strict=True)) / sum(weights)
        se = sum(w * c[f"{measure}_effect_se"] for w, c in zip(weights, cohorts, strict=True)) / sum(weights)
        assert project[f"{measure}_effect"] == pytest.approx(effect, abs=1e-12)
        half_width = project[f"{measure}_effect_ci_upper"] - project[f"{measure}_effect"]
        assert half_width == pytest.approx(1.96 * se, rel=1e-4)
    assert project["did_level_judgement"] == "improved"
    assert project["verdict"].startswith("improved")
