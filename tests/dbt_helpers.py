"""Run dbt in-process against an extract folder and a throwaway DuckDB warehouse.

`build_warehouse(extract_dir, work_dir)` runs `dbt seed` then `dbt build` for the extract and returns the built
warehouse file (dbt's run_results.json is in work_dir/target); `run_dbt` is the lower-level call. dbt runs in this
process (dbt.cli.main.dbtRunner): about 3 s for the first invocation, well under that for later ones. Each call
sets EQUITY_QI_EXTRACT_DIR, EQUITY_QI_DUCKDB and DO_NOT_TRACK for its duration only, and writes dbt's target/ and
logs/ under `work_dir`, so builds of different extracts do not share state.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from equity_qi.generator.schema import TABLES

PROJECT_DIR = Path(__file__).resolve().parents[1]
PROFILES_DIR = PROJECT_DIR / "profiles"
MINI_EXTRACT = PROJECT_DIR / "tests" / "fixtures" / "mini_extract"

# Small dirty extracts for the dbt tests on generated data (conftest.py fixture dirty_extract; used by
# test_dbt_generated_extract.py and test_dbt_quarantine.py): dirtier than the default so that every dirt kind is
# planted, small enough to build in seconds. Two seeds, both formats.
DIRTY_EXTRACTS = [(11, "csv"), (11, "parquet"), (12, "csv"), (12, "parquet")]
DIRTY_EXTRACT_OPTIONS = {"patients": 8000, "practices": 4, "dirty_rate": 0.05}

# Columns staging adds after a source table's own (and before dq_reason): the decoded codes of coded events, and the
# concept's current core map and decoded scheme.
_DECODED_CODES = ["code", "code_scheme", "original_code", "original_code_scheme"]
STAGING_ADDED_COLUMNS = {
    "observation": _DECODED_CODES,
    "medication_statement": _DECODED_CODES,
    "concept": ["mapped_core_concept_id", "code_scheme"],
    # the presence of a name (the raw view's has_<column>), which marks test patients: never the name
    "person": ["has_first_names", "has_last_name"],
    "patient": ["has_first_names", "has_last_name"],
}
SOURCES_YML = PROJECT_DIR / "models" / "staging" / "discovery" / "_discovery__sources.yml"


def source_identifiers() -> dict[str, dict[str, str]]:
    """Direct identifiers per Discovery table, from the sources yml (column meta identifier): column -> 'true'
    (never exposed) or 'presence' (exposed only as the boolean has_<column>)."""
    import yaml

    [source] = [s for s in yaml.safe_load(SOURCES_YML.read_text())["sources"] if s["name"] == "discovery"]
    found: dict[str, dict[str, str]] = {}
    for table in source["tables"]:
        for column in table["columns"]:
            kind = column.get("config", {}).get("meta", {}).get("identifier")
            if kind:
                found.setdefault(table["name"], {})[column["name"]] = str(kind).lower()
    return found


def raw_view_columns(table_name: str) -> list[tuple[str, str]]:
    """(name, type) of the raw view over a table's file: its file columns without direct identifiers, a presence
    column as has_<column> BOOLEAN in its place."""
    identifiers = source_identifiers().get(table_name, {})
    columns = []
    for name, data_type in TABLES[table_name].file_columns:
        kind = identifiers.get(name)
        if kind is None:
            columns.append((name, data_type))
        elif kind == "presence":
            columns.append((f"has_{name}", "BOOLEAN"))
    return columns

# Staging models that keep only the columns models read (data minimisation), in source order.
STAGED_SOURCE_COLUMNS = {
    "observation": [
        "id", "organization_id", "patient_id", "person_id", "clinical_effective_date", "result_value",
        "result_value_units", "parent_observation_id",
    ],
}


def staged_source_columns(table_name: str) -> list[str]:
    """The source columns a staging model keeps, in order: all but direct identifiers unless STAGED_SOURCE_COLUMNS
    says."""
    identifiers = source_identifiers().get(table_name, {})
    every_column = [name for name in TABLES[table_name].column_names if name not in identifiers]
    kept = STAGED_SOURCE_COLUMNS.get(table_name, every_column)
    assert kept == [name for name in every_column if name in kept], f"{table_name}: unknown or reordered columns"
    return kept

# No network: dbt sends anonymous usage statistics unless told not to.
_DBT_ENV = {"DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


class DbtRunError(AssertionError):
    """A dbt invocation did not succeed; the message lists what failed."""


@dataclass(frozen=True)
class DbtRun:
    """Outcome of one dbt invocation."""

    args: list[str]
    success: bool
    exception: BaseException | None
    results: list[Any]  # dbt RunResult objects (node, status, failures, message, ...)
    listed: list[str]  # what `dbt ls` printed
    target_dir: Path

    def problems(self) -> list[str]:
        """One line per node whose status is not success/pass, plus the exception if any."""
        lines = [
            f"{result.node.resource_type} {result.node.name}: {result.status} ({result.message})"
            for result in self.results
            if str(result.status) not in ("success", "pass")
            and not (result.node.resource_type == "exposure" and str(result.status) == "no-op")
        ]
        if self.exception is not None:
            lines.append(f"exception: {self.exception}")
        return lines


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _release_duckdb() -> None:
    """dbt-duckdb keeps the database open in a class-level environment after an in-process invocation; close it so
    the file can be opened again in this process (with another configuration, e.g. read_only) or by others."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def run_dbt(
    args: Sequence[str],
    *,
    extract_dir: Path,
    duckdb_path: Path,
    work_dir: Path,
    dbt_vars: Mapping[str, Any] | None = None,
) -> DbtRun:
    """Run one dbt command (e.g. ["build"]) for the project with the given extract and warehouse file."""
    from dbt.cli.main import dbtRunner

    target_dir = work_dir / "target"
    full_args = [
        *args,
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROFILES_DIR),
        "--target-path", str(target_dir),
        "--log-path", str(work_dir / "logs"),
    ]  # fmt: skip
    if dbt_vars:
        full_args += ["--vars", json.dumps(dict(dbt_vars))]
    env = {
        **_DBT_ENV,
        "EQUITY_QI_EXTRACT_DIR": str(Path(extract_dir).resolve()),
        "EQUITY_QI_DUCKDB": str(Path(duckdb_path).resolve()),
    }
    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    with _environment(env):
        try:
            outcome = dbtRunner().invoke(full_args)
        finally:
            _release_duckdb()
    listed = list(outcome.result) if isinstance(outcome.result, list) else []
    results = list(getattr(outcome.result, "results", None) or [])
    return DbtRun(full_args, outcome.success, outcome.exception, results, listed, target_dir)


def build_warehouse(
    extract_dir: Path,
    work_dir: Path,
    *,
    dbt_vars: Mapping[str, Any] | None = None,
) -> Path:
    """`dbt seed` + `dbt build` of the extract into work_dir/equity_qi.duckdb and return that file. Raises
    DbtRunError listing the failures if either command fails. The build's results: work_dir/target/run_results.json.
    The build leaves out the seeds already loaded (their data tests still run)."""
    duckdb_path = work_dir / "equity_qi.duckdb"
    for command in (["seed"], ["build", "--exclude-resource-type", "seed"]):
        run = run_dbt(command, extract_dir=extract_dir, duckdb_path=duckdb_path, work_dir=work_dir, dbt_vars=dbt_vars)
        if not run.success:
            raise DbtRunError(f"dbt {' '.join(command)} failed for {extract_dir}:\n  " + "\n  ".join(run.problems()))
    return duckdb_path
