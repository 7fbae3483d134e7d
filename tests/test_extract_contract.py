"""The dbt side describes exactly the extract that src/equity_qi/generator/schema.py defines.

schema.TABLES is the single description of the raw extract. The dbt source `discovery` must list the same tables
with the same columns, in the same order and with the same DuckDB types (is_delete first, as in the files),
because the on-run-start hook reads each file with exactly those columns. The staging models keep every table
column (those with row-level data-quality rules add dq_reason at the end), and the hand-made fixture extract conforms
to the schema.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
import yaml

from dbt_helpers import STAGING_ADDED_COLUMNS, staged_source_columns
from equity_qi.generator.schema import SCHEMA_VERSION, TABLES

ROOT = Path(__file__).resolve().parents[1]
DISCOVERY_MODELS = ROOT / "models" / "staging" / "discovery"
MINI_EXTRACT = ROOT / "tests" / "fixtures" / "mini_extract"


def _load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


@pytest.fixture(scope="module")
def discovery_source() -> dict:
    sources = _load_yaml(DISCOVERY_MODELS / "_discovery__sources.yml")["sources"]
    [source] = [s for s in sources if s["name"] == "discovery"]
    return source


def test_source_lists_the_schema_tables_in_order(discovery_source: dict) -> None:
    assert [table["name"] for table in discovery_source["tables"]] == list(TABLES)
    assert discovery_source["schema"] == "raw_discovery"


@pytest.mark.parametrize("table_name", list(TABLES))
def test_source_columns_and_types_equal_schema(discovery_source: dict, table_name: str) -> None:
    [table] = [t for t in discovery_source["tables"] if t["name"] == table_name]
    declared = [(column["name"], column.get("data_type")) for column in table["columns"]]
    assert declared == TABLES[table_name].file_columns
    assert declared[0] == ("is_delete", "BOOLEAN")
    assert all(column.get("description") for column in table["columns"]), "every source column is described"


@pytest.mark.parametrize("table_name", list(TABLES))
def test_source_key_equals_schema_key(discovery_source: dict, table_name: str) -> None:
    [table] = [t for t in discovery_source["tables"] if t["name"] == table_name]
    assert table["config"]["meta"]["key"] == TABLES[table_name].key


def test_source_schema_version_equals_schema(discovery_source: dict) -> None:
    assert discovery_source["config"]["meta"]["schema_version"] == SCHEMA_VERSION


# Staging models over the whole extract rather than one table (data-quality accounting).
EXTRACT_WIDE_STAGING_MODELS = ["stg_discovery__raw_row_counts", "stg_discovery__removed_rows"]


def test_staging_models_keep_their_source_columns() -> None:
    models = {m["name"]: m for m in _load_yaml(DISCOVERY_MODELS / "_discovery__models.yml")["models"]}
    assert sorted(models) == sorted([f"stg_discovery__{name}" for name in TABLES] + EXTRACT_WIDE_STAGING_MODELS)
    for name, table in TABLES.items():
        model = models[f"stg_discovery__{name}"]
        assert (DISCOVERY_MODELS / f"stg_discovery__{name}.sql").is_file()
        columns = [column["name"] for column in model["columns"]]
        expected = [*staged_source_columns(name), *STAGING_ADDED_COLUMNS.get(name, [])]
        assert columns in (expected, [*expected, "dq_reason"]), name
        [key_column] = [column for column in model["columns"] if column["name"] == table.key]
        assert {"unique", "not_null"} <= set(key_column.get("data_tests", [])), f"{name}.{table.key} is tested"


def test_mini_extract_manifest_describes_its_files() -> None:
    manifest = json.loads((MINI_EXTRACT / "manifest.json").read_text())
    assert manifest["format"] == "csv"
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert sorted(manifest["tables"]) == sorted(TABLES)
    for _name, entry in manifest["tables"].items():
        data = (MINI_EXTRACT / entry["file"]).read_bytes()
        rows = len(data.decode().splitlines()) - 1
        sha256 = hashlib.sha256(data).hexdigest()
        assert (entry["rows"], entry["sha256"]) == (rows, sha256), f"update manifest.json for {entry['file']}"


@pytest.mark.parametrize("table_name", list(TABLES))
def test_mini_extract_files_follow_the_schema(table_name: str) -> None:
    table = TABLES[table_name]
    with (MINI_EXTRACT / f"{table_name}.csv").open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == [name for name, _ in table.file_columns]
    key_position = header.index(table.key)
    for row in rows:
        assert len(row) == len(header)
        assert row[0] in ("true", "false")
        if row[0] == "true":  # a delete row carries only the flag and the key
            assert row[key_position] and not any(v for i, v in enumerate(row) if i not in (0, key_position))
