"""Shared pytest fixtures."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

# `make setup` installs the package; running pytest from another environment still finds it in src/.
try:
    import equity_qi  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT / "src"))

from dbt_helpers import DIRTY_EXTRACT_OPTIONS, build_warehouse  # noqa: E402
from equity_qi.generator.engine import Options, generate  # noqa: E402
from vector_db import VectorDb, build_vector_db  # noqa: E402

BuildWarehouse = Callable[..., Path]

# Modules that generate or build extracts of thousands of patients (minutes each), and the statistical vector
# suites (a dbt run per case): marked `slow`, so the fast tier (`make check`: pytest -m "not slow") keeps the
# pure-Python tests and one build of the hand-made mini extract with every dbt unit test, and `make test` runs
# everything.
SLOW_MODULES = {
    "test_dbt_clinical_readings", "test_dbt_demographics", "test_dbt_generated_extract", "test_dbt_indicators",
    "test_dbt_identifiers", "test_dbt_qi_equity", "test_dbt_quarantine", "test_dbt_source_freshness",
    "test_planted_gradients", "test_planted_qi_projects", "test_planted_drift", "test_dbt_qi_calibration",
    "test_dbt_inequality_concentration", "test_dbt_inequality_heat", "test_dbt_inequality_heat_examples",
    "test_dbt_inequality_regression", "test_dbt_spc", "test_dbt_stats_macros", "test_dbt_stats_standardisation",
    "test_dbt_proportion_standard_error", "test_dbt_qi_staggered", "test_dbt_qi_project_list",
    "test_dbt_disclosure_macros", "test_disclosure_audit", "test_dbt_aggregation_macros", "test_dbt_qi_verdict_macros",
    "test_semantic_layer", "test_publish_postgres",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def dbt_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuildWarehouse:
    """Factory: dbt_warehouse(extract_dir, dbt_vars=None) builds the warehouse for an extract folder (dbt seed +
    dbt build, in-process) and returns the DuckDB file; run_results.json is in its folder's target/. Builds are
    cached for the session per (extract folder, vars), so tests can share one. A failed build raises DbtRunError."""
    built: dict[tuple[str, str], Path] = {}

    def build(extract_dir: Path, dbt_vars: Mapping[str, Any] | None = None) -> Path:
        key = (str(Path(extract_dir).resolve()), json.dumps(dict(dbt_vars or {}), sort_keys=True))
        if key not in built:
            built[key] = build_warehouse(Path(extract_dir), tmp_path_factory.mktemp("dbt_build"), dbt_vars=dbt_vars)
        return built[key]

    return build


@pytest.fixture(scope="session")
def dirty_extract(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int, str], Path]:
    """Factory: dirty_extract(seed, fmt) generates (once per session) a small dirty extract
    (dbt_helpers.DIRTY_EXTRACT_OPTIONS) with that seed and format and returns its folder. Tests parametrise over
    dbt_helpers.DIRTY_EXTRACTS, so they share the extracts and, through dbt_warehouse, their builds."""
    made: dict[tuple[int, str], Path] = {}

    def make(seed: int, fmt: str) -> Path:
        if (seed, fmt) not in made:
            folder = tmp_path_factory.mktemp("dirty") / f"seed{seed}_{fmt}"
            generate(Options(out=folder, seed=seed, fmt=fmt, **DIRTY_EXTRACT_OPTIONS))
            made[(seed, fmt)] = folder
        return made[(seed, fmt)]

    return make


@pytest.fixture(scope="session")
def clean_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small extract with no dirt (dirty_rate 0): derived marts must equal the generator's truth exactly."""
    folder = tmp_path_factory.mktemp("gen") / "clean"
    generate(Options(out=folder, patients=6000, practices=5, seed=21, dirty_rate=0.0, fmt="parquet"))
    return folder


@pytest.fixture(scope="session")
def indicator_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A mid-sized, slightly dirty extract for the indicator tests: enough patients per IMD quintile for the planted
    gradients to show through the confidence intervals (30,000 patients, 12 practices, dirty rate 0.02)."""
    folder = tmp_path_factory.mktemp("gen") / "indicators"
    generate(Options(out=folder, patients=30000, practices=12, seed=7, dirty_rate=0.02, fmt="parquet"))
    return folder


@pytest.fixture(scope="session")
def stats_db(tmp_path_factory: pytest.TempPathFactory) -> VectorDb:
    """PHE's test vectors (tests/fixtures/phe) and the lookup seeds in a scratch DuckDB file, shared by
    test_dbt_stats_macros.py and test_dbt_stats_standardisation.py."""
    return build_vector_db(tmp_path_factory.mktemp("stats_macros"), ["phe"])
