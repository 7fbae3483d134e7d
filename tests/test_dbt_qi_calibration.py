"""The QI verdict is calibrated in a drifting null world: projects with no effect rarely come out clear.

A small version of bench/bench_qi_calibration.py (whose committed results use 200 projects at demo scale): the
default world with practice drift and every planted effect zero, 60,000 patients in 20 practices, 60 placebo
projects of 4 + 4 practices (HYP008, CS005, DM_MEAN_HBA1C), built with dbt. Components: the verdict's level and
gap (SII; both designs) and each design's own readings. Nominal 5 % per component: 60 projects
give about 3 clear results; the bound of 10 (P(Binomial(60, 0.05) >= 10) = 0.0006) catches a gross
miscalibration, such as patient-level intervals in a drifting world (a third of null projects clear in the
simulation of tests/qi/test_placebo_inference.py).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "bench_qi_calibration.py"
spec = importlib.util.spec_from_file_location("bench_qi_calibration", SCRIPT)
calibration = importlib.util.module_from_spec(spec)
sys.modules["bench_qi_calibration"] = calibration
spec.loader.exec_module(calibration)

PROJECTS = 60


@pytest.fixture(scope="module")
def null_warehouse(tmp_path_factory, dbt_warehouse) -> Path:
    folder = calibration.null_extract(tmp_path_factory.mktemp("qi_null") / "extract", 60_000, 20, 3, PROJECTS)
    return dbt_warehouse(folder, {"qi_placebo_excludes_treated": False})


def test_placebo_projects_are_judged_at_practice_level(null_warehouse):
    shares = calibration.clear_shares(null_warehouse)
    assert shares["placebo inference"] == (PROJECTS, PROJECTS)
    assert shares["time series by placebo"] == (PROJECTS, PROJECTS)
    assert shares["level"][1] == PROJECTS and shares["sii"][1] >= PROJECTS // 2  # every project estimable


@pytest.mark.parametrize(
    "component",
    ["level", "sii", "gap, difference in differences", "level, time series", "sii, time series", "gap, time series"],
)
def test_few_null_projects_are_called_clear(null_warehouse, component):
    clear, total = calibration.clear_shares(null_warehouse)[component]
    print(f"{component}: {clear} of {total} clear")
    assert clear < 10 * total / PROJECTS
