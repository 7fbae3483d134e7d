"""`dbt source freshness` checks the extract's own timestamp (manifest extract_timestamp, exposed by the on-run-start
hook as source discovery_extract.extract_manifest): a feed taken yesterday passes, one taken 4 days ago warns, one
a month old errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dbt_helpers import run_dbt
from equity_qi.generator.engine import Options, generate


def _freshness(tmp_path: Path, days_old: int) -> tuple[str, bool]:
    end = dt.date.today() - dt.timedelta(days=days_old)
    folder = tmp_path / "extract"
    # the extract is taken at 02:00 on the day after its period ends
    generate(Options(out=folder, patients=500, practices=2, seed=5, dirty_rate=0.0, fmt="parquet",
                     start=(end - dt.timedelta(days=400)).isoformat(), end=end.isoformat()))
    run = run_dbt(["source", "freshness"], extract_dir=folder, duckdb_path=tmp_path / "wh.duckdb", work_dir=tmp_path)
    statuses = {str(result.status) for result in run.results if "extract_manifest" in result.node.unique_id}
    assert len(statuses) == 1, run.problems()
    return statuses.pop(), run.success


@pytest.mark.parametrize(
    "days_old,expected",
    [(0, ("pass", True)), (4, ("warn", True)), (30, ("error", False))],
)
def test_freshness_follows_the_extract_timestamp(tmp_path, days_old, expected):
    assert _freshness(tmp_path, days_old) == expected
