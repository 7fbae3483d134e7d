"""What a dbt user expects beside the tables: the semantic layer (MetricFlow, the pinned dbt-metricflow), whose
semantic models and metrics over the published relations validate against a built warehouse and answer exactly what
the published rows give (the IMD quintile gap is quintile 1 minus quintile 5 of published.indicator_rates, NULL where
either is withheld); and static dbt docs (`make docs`) that open offline and describe the published layer."""

from __future__ import annotations

import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import PROJECT_DIR, run_dbt

MF = Path(sys.executable).with_name("mf")
PROJECT_FILES = ("dbt_project.yml", "selectors.yml", "models", "macros", "seeds", "analyses", "tests", "profiles")


@pytest.fixture(scope="module")
def mf_project(dbt_warehouse, dirty_extract, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A dbt project root for `mf`, which reads <root>/target/semantic_manifest.json: links to the project's files
    and the manifest of the warehouse's own build, with the environment that points the profile at it."""
    extract = dirty_extract(11, "parquet")
    warehouse = dbt_warehouse(extract)
    root = tmp_path_factory.mktemp("mf_project")
    for name in PROJECT_FILES:
        if (PROJECT_DIR / name).exists():
            (root / name).symlink_to(PROJECT_DIR / name)
    (root / "target").mkdir()
    shutil.copy(warehouse.parent / "target" / "semantic_manifest.json", root / "target")
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
           "EQUITY_QI_DUCKDB": str(warehouse), "EQUITY_QI_EXTRACT_DIR": str(extract)}
    return root, env


def run_mf(project: tuple[Path, dict[str, str]], *args: str) -> str:
    root, env = project
    done = subprocess.run([str(MF), *args], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_semantic_models_and_metrics_validate_against_the_warehouse(mf_project) -> None:
    out = run_mf(mf_project, "validate-configs")
    assert "Successfully validated the semantics of built manifest (ERRORS: 0" in out
    assert "Successfully validated metrics against data warehouse (ERRORS: 0" in out


def test_the_gap_metric_is_quintile_1_minus_quintile_5_of_the_published_rows(mf_project, tmp_path: Path) -> None:
    table = tmp_path / "gap.csv"
    run_mf(mf_project, "query", "--metrics", "imd_quintile_gap",
           "--group-by", "indicator,indicator_rate__geography_code,metric_time__day",
           "--where", "{{ Dimension('indicator_rate__geography_level') }} = 'borough'", "--csv", str(table))
    with table.open() as f:
        got = {(r["indicator"], r["indicator_rate__geography_code"], r["metric_time__day"][:10]):
               (float(r["imd_quintile_gap"]) if r["imd_quintile_gap"] else None) for r in csv.DictReader(f)}
    root, env = mf_project
    with duckdb.connect(env["EQUITY_QI_DUCKDB"], read_only=True) as con:
        expected = {(indicator, code, str(period)): gap for indicator, code, period, gap in con.execute("""
            select indicator_id, geography_code, period_end,
                max(value) filter (where stratum = '1') - max(value) filter (where stratum = '5')
            from published.indicator_rates
            where geography_level = 'borough' and dimension = 'imd_quintile' and stratum in ('1', '5')
            group by all
        """).fetchall()}
    assert got.keys() == expected.keys() and len(got) > 100
    assert sum(v is None for v in got.values()) > 0 and sum(v is not None for v in got.values()) > 100
    for key, gap in expected.items():
        assert (got[key] is None) == (gap is None), key
        assert gap is None or math.isclose(got[key], gap, rel_tol=1e-9, abs_tol=1e-12), key


def test_static_docs_open_offline_and_describe_the_published_layer(dbt_warehouse, dirty_extract,
                                                                   tmp_path: Path) -> None:
    extract = dirty_extract(11, "parquet")
    warehouse = dbt_warehouse(extract)
    copy = tmp_path / "warehouse.duckdb"  # docs generate opens the file for writing
    shutil.copy(warehouse, copy)
    run = run_dbt(["docs", "generate", "--static"], extract_dir=extract, duckdb_path=copy, work_dir=tmp_path)
    assert run.success, run.problems()
    page = (tmp_path / "target" / "static_index.html").read_text()
    # no resource is loaded from the network: no http(s) src or stylesheet, and the tracker stays off
    assert not re.search(r'(src|href)="https?://(?!\[::1\])', page)
    assert '"send_anonymous_usage_stats": false' in page
    for relation in ("pub_indicator_rates", "pub_inequality_indices", "pub_spc", "pub_qi_equity_impact"):
        assert f'"model.equity_qi.{relation}"' in page
    assert "published.indicator_rates" in page and "person_count" in page


def test_the_manifest_has_exposures_semantic_models_and_metrics(dbt_warehouse, dirty_extract) -> None:
    manifest = json.loads((dbt_warehouse(dirty_extract(11, "parquet")).parent / "target" / "manifest.json").read_text())
    published = {uid for uid, node in manifest["nodes"].items()
                 if node["resource_type"] == "model" and node["original_file_path"].startswith("models/published/")}
    assert len(published) >= 12
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert {"postgres_publish", "bi_reports", "disclosure_audit"} <= set(exposures)
    for exposure in exposures.values():
        assert exposure["owner"]["name"] and set(exposure["depends_on"]["nodes"]) == published, exposure["name"]
    assert {m["name"] for m in manifest["semantic_models"].values()} == {"indicator_rate", "inequality_index"}
    assert {"indicator_rate", "imd_quintile_gap", "sii_by_imd_quintile"} <= {
        m["name"] for m in manifest["metrics"].values()}
