"""End to end: dbt seed + dbt build over the hand-made extract tests/fixtures/mini_extract.

The fixture (extract date 2025-04-01) has practices F84001 Alpha (org 10) and F84002 Beta (org 11), practice
F84003 Gamma (org 12) deleted by an is_delete row, a PCN, a borough (LA) and the ICB. Episodes of care, worked by
hand (R = regular/GMS FHIR_RT_R, dbid 1335267; T = temporary FHIR_RT_T):

  episode  practice  person  type  registered   ended        notes
  2001     Alpha     101     R     2010-05-01   -
  2002     Alpha     102     R     2015-01-01   2020-06-30   closed
  2003     Alpha     103     T     2024-11-01   -            temporary resident
  2004     Alpha     104     R     2000-01-01   -            died 2023-02-14
  2005     Alpha     105     R     2019-03-01   -            dies 2025-06-01
  2006     Alpha     106     R     2025-05-01   -            starts after 2025-04-01; pre-registration (PR1)
  2007     Alpha     107     R     2012-09-01   2025-04-01   ends on the extract date
  2008     Alpha     108     R     2018-02-01   -            deleted by an is_delete row
  2009     Alpha     109     R     2016-01-01   -            109 has two open episodes: 2009 is superseded
  2010     Alpha     109     R     2022-01-01   -
  2011     Alpha     110     R     2021-07-01   -            row delivered twice (exact duplicate)
  2012     Beta      111     R     2005-01-01   -
  2013     Beta      101     R     2001-01-01   2010-04-30   101 moved to Alpha
  2014     Beta      112     R     2025-04-01   -            registered on the extract date
  2015     Beta      113     R     2011-01-01   -            patient record 1014 deleted
  2016     Gamma     120     R     2014-01-01   -            practice deleted

Registered (open GMS episode, alive) at 2025-04-01: Alpha {101, 105, 109, 110} = 4, Beta {111, 112} = 2.
At 2020-01-01: Alpha {101, 102, 104, 105, 107, 109} = 6, Beta {111} = 1.
At any date after 2025-06-01: Alpha {101, 109, 110} = 3 (106 is only pre-registered), Beta {111, 112} = 2.

Data quality (staging keeps these rows with a dq_reason; fct_dq_row_outcomes lists them): episode 2003 is a
temporary registration and 2006 a pre-registration (both quarantined), 2009 is superseded by 2010 (flagged);
address 5003 has no LSOA and 5011 carries E01004210, which is not a 2011 LSOA (both quarantined).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import MINI_EXTRACT, STAGING_ADDED_COLUMNS, raw_view_columns, run_dbt, staged_source_columns
from equity_qi.generator.schema import TABLES

EXTRACT_DATE = {"as_of_date": "2025-04-01"}

# Rows per table in the extract files, and what staging keeps: minus delete rows, minus the records they delete,
# minus exact duplicates.
RAW_ROWS = {
    "organization": 8,
    "person": 14,
    "patient": 16,
    "patient_pseudo_id": 3,
    "episode_of_care": 18,
    "patient_address": 4,
    "observation": 5,
    "medication_statement": 2,
    "concept": 14,
    "concept_map": 3,
}
STAGED_ROWS = {
    "organization": 5,  # - delete row for 12, - practice 12, - duplicate of 11
    "person": 14,
    "patient": 14,  # - delete row for 1014, - patient 1014
    "patient_pseudo_id": 3,
    "episode_of_care": 15,  # - delete row for 2008, - episode 2008, - duplicate of 2011
    "patient_address": 4,
    "observation": 4,  # - delete row for 3099 (a record never delivered)
    "medication_statement": 2,
    "concept": 13,  # - duplicate of dbid 1335267
    "concept_map": 1,  # - delete row for id 2 (key in the fifth column), - map 2
}


@contextmanager
def _connect(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        yield connection
    finally:
        connection.close()


def _list_sizes(path: Path) -> dict[str, tuple[str, int, dt.date]]:
    with _connect(path) as connection:
        rows = connection.execute(
            "select practice_code, practice_name, registered_patients, as_of_date from marts.fct_practice_list_size"
        ).fetchall()
    return {code: (name, count, as_of) for code, name, count, as_of in rows}


@pytest.fixture(scope="module")
def warehouse(dbt_warehouse) -> Path:
    return dbt_warehouse(MINI_EXTRACT, dbt_vars=EXTRACT_DATE)


def test_build_succeeds_without_the_generic_test_fixtures(warehouse: Path) -> None:
    run_results = json.loads((warehouse.parent / "target" / "run_results.json").read_text())
    statuses = {result["unique_id"]: result["status"] for result in run_results["results"]}
    assert statuses, "dbt build ran nothing"
    # exposures (models/published) are listed in a build with nothing to do
    exposures = {uid: status for uid, status in statuses.items() if uid.startswith("exposure.")}
    assert exposures and set(exposures.values()) == {"no-op"}
    assert {status for uid, status in statuses.items() if uid not in exposures} <= {"success", "pass"}, statuses
    assert "model.equity_qi.fct_practice_list_size" in statuses
    assert "test.equity_qi.assert_discovery_deletes_applied" in statuses
    assert not [node for node in statuses if "fixture_generic_tests" in node or "generic_tests" in node]


def test_raw_views_expose_the_files_as_delivered(warehouse: Path) -> None:
    # every row as delivered, every column but the direct identifiers (the sources yml's column meta)
    with _connect(warehouse) as connection:
        for table_name, expected_rows in RAW_ROWS.items():
            columns = connection.execute(f"describe raw_discovery.{table_name}").fetchall()
            assert [(name, typ) for name, typ, *_ in columns] == [
                (name, "FLOAT" if typ == "REAL" else typ) for name, typ in raw_view_columns(table_name)
            ]
            assert connection.execute(f"select count(*) from raw_discovery.{table_name}").fetchone() == (expected_rows,)


# Staging models with row-level data-quality rules add dq_reason after the table's columns (and after the columns
# of dbt_helpers.STAGING_ADDED_COLUMNS).
CHECKED_TABLES = {"observation", "patient_address", "episode_of_care", "patient", "person"}


def test_staging_applies_deletes_and_collapses_duplicates(warehouse: Path) -> None:
    with _connect(warehouse) as connection:
        for table_name, expected_rows in STAGED_ROWS.items():
            model = f"staging.stg_discovery__{table_name}"
            columns = [row[0] for row in connection.execute(f"describe {model}").fetchall()]
            extra = STAGING_ADDED_COLUMNS.get(table_name, []) + (["dq_reason"] if table_name in CHECKED_TABLES else [])
            assert columns == staged_source_columns(table_name) + extra, model
            assert connection.execute(f"select count(*) from {model}").fetchone() == (expected_rows,), model

        def ids(model: str, key: str = "id") -> list[int]:
            return sorted(row[0] for row in connection.execute(f"select {key} from staging.{model}").fetchall())

        assert ids("stg_discovery__organization") == [1, 2, 3, 10, 11]
        assert 2008 not in ids("stg_discovery__episode_of_care")
        assert ids("stg_discovery__episode_of_care").count(2011) == 1
        assert 1014 not in ids("stg_discovery__patient")
        assert ids("stg_discovery__concept_map") == [1]
        assert ids("stg_discovery__concept", "dbid").count(1335267) == 1


def test_row_outcomes_and_reconciliation(warehouse: Path) -> None:
    with _connect(warehouse) as connection:
        outcomes = connection.execute(
            "select source_table, record_key, rule, action from marts.fct_dq_row_outcomes"
        ).fetchall()
        reconciliation = {
            row[0]: row[1:]
            for row in connection.execute(
                "select source_table, raw_rows, deleted_rows, duplicate_rows_removed, quarantined_rows, kept_rows"
                " from marts.fct_dq_reconciliation"
            ).fetchall()
        }
    assert sorted(outcomes) == sorted([
        ("organization", "12", "delete_row", "deleted"),
        ("organization", "12", "deleted_by_delete_row", "deleted"),
        ("organization", "11", "exact_duplicate", "duplicate_removed"),
        ("patient", "1014", "delete_row", "deleted"),
        ("patient", "1014", "deleted_by_delete_row", "deleted"),
        ("episode_of_care", "2008", "delete_row", "deleted"),
        ("episode_of_care", "2008", "deleted_by_delete_row", "deleted"),
        ("episode_of_care", "2011", "exact_duplicate", "duplicate_removed"),
        ("episode_of_care", "2003", "temporary_registration", "quarantined"),
        ("episode_of_care", "2006", "pre_registration", "quarantined"),
        ("episode_of_care", "2009", "superseded_registration", "flagged"),
        ("patient_address", "5003", "lsoa_missing", "quarantined"),
        ("patient_address", "5011", "lsoa_unknown", "quarantined"),
        ("observation", "3099", "delete_row", "deleted"),  # deletes a record never delivered
        ("concept", "1335267", "exact_duplicate", "duplicate_removed"),
        ("concept_map", "2", "delete_row", "deleted"),
        ("concept_map", "2", "deleted_by_delete_row", "deleted"),
    ])
    # raw, deleted, duplicates, quarantined, kept
    assert reconciliation == {
        "organization": (8, 2, 1, 0, 5),
        "person": (14, 0, 0, 0, 14),
        "patient": (16, 2, 0, 0, 14),
        "patient_pseudo_id": (3, 0, 0, 0, 3),
        "episode_of_care": (18, 2, 1, 2, 13),
        "patient_address": (4, 0, 0, 2, 2),
        "observation": (5, 1, 0, 0, 4),
        "medication_statement": (2, 0, 0, 0, 2),
        "concept": (14, 0, 1, 0, 13),
        "concept_map": (3, 2, 0, 0, 1),
    }
    assert {table: raw for table, (raw, *_) in reconciliation.items()} == RAW_ROWS


def test_list_sizes_at_the_extract_date(warehouse: Path) -> None:
    assert _list_sizes(warehouse) == {
        "F84001": ("Alpha Health Centre", 4, dt.date(2025, 4, 1)),
        "F84002": ("Beta Surgery", 2, dt.date(2025, 4, 1)),
    }


@pytest.mark.slow  # another full build of the mini extract
def test_list_sizes_at_an_earlier_date(dbt_warehouse) -> None:
    warehouse = dbt_warehouse(MINI_EXTRACT, dbt_vars={"as_of_date": "2020-01-01"})
    assert _list_sizes(warehouse) == {
        "F84001": ("Alpha Health Centre", 6, dt.date(2020, 1, 1)),
        "F84002": ("Beta Surgery", 1, dt.date(2020, 1, 1)),
    }


@pytest.mark.slow  # another full build of the mini extract
def test_pre_registration_does_not_count(dbt_warehouse) -> None:
    """106's only episode (from 2025-05-01) has a pre-registration status: once it has started 106 is still not on
    the list."""
    warehouse = dbt_warehouse(MINI_EXTRACT, dbt_vars={"as_of_date": "2025-07-01"})
    assert {code: count for code, (_, count, _) in _list_sizes(warehouse).items()} == {"F84001": 3, "F84002": 2}


@pytest.mark.slow  # another full build of the mini extract
def test_as_of_date_defaults_to_the_extract_date(dbt_warehouse) -> None:
    """The mini extract's manifest has no period, so the default is the date of its extract_timestamp."""
    sizes = _list_sizes(dbt_warehouse(MINI_EXTRACT))
    assert {code: count for code, (_, count, _) in sizes.items()} == {"F84001": 4, "F84002": 2}
    assert {as_of for _, _, as_of in sizes.values()} == {dt.date(2025, 4, 1)}


def test_missing_manifest_fails_naming_the_folder(tmp_path: Path) -> None:
    empty = tmp_path / "no_extract_here"
    empty.mkdir()
    run = run_dbt(["build"], extract_dir=empty, duckdb_path=tmp_path / "wh.duckdb", work_dir=tmp_path)
    assert not run.success
    assert "manifest.json is missing" in str(run.exception) and str(empty) in str(run.exception)


def _copy_extract(tmp_path: Path) -> Path:
    copy = tmp_path / "extract"
    shutil.copytree(MINI_EXTRACT, copy)
    return copy


def test_reordered_csv_header_fails_loudly(tmp_path: Path) -> None:
    extract = _copy_extract(tmp_path)
    path = extract / "organization.csv"
    path.write_text(path.read_text().replace("ods_code,name,", "name,ods_code,", 1))
    run = run_dbt(["build"], extract_dir=extract, duckdb_path=tmp_path / "wh.duckdb", work_dir=tmp_path)
    assert not run.success
    assert "the header does not match the sources yml" in str(run.exception)


def test_mistyped_csv_value_fails_loudly(tmp_path: Path) -> None:
    extract = _copy_extract(tmp_path)
    path = extract / "episode_of_care.csv"
    path.write_text(path.read_text().replace("2010-05-01", "01/05/2010", 1))
    run = run_dbt(
        ["build", "--select", "+stg_discovery__episode_of_care"],  # with stg_discovery__concept, which it reads
        extract_dir=extract,
        duckdb_path=tmp_path / "wh.duckdb",
        work_dir=tmp_path,
    )
    assert not run.success
    problems = "\n".join(run.problems())
    assert "stg_discovery__episode_of_care" in problems and "01/05/2010" in problems


@pytest.mark.slow  # another full build of the mini extract
def test_parquet_extract_builds_the_same_list_sizes(dbt_warehouse, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The same fixture written as Parquet (columns typed as in schema.py) goes through the read_parquet branch."""
    extract = tmp_path_factory.mktemp("parquet_extract")
    manifest = json.loads((MINI_EXTRACT / "manifest.json").read_text())
    connection = duckdb.connect()
    for name, table in TABLES.items():
        columns = ", ".join(f"'{column}': '{typ}'" for column, typ in table.file_columns)
        source = str(MINI_EXTRACT / f"{name}.csv")
        connection.execute(
            f"copy (select * from read_csv('{source}', header = true, auto_detect = false, nullstr = '', "
            f"columns = {{{columns}}})) to '{extract / f'{name}.parquet'}' (format parquet)"
        )
        manifest["tables"][name] = {"file": f"{name}.parquet", "rows": manifest["tables"][name]["rows"]}
    connection.close()
    manifest["format"] = "parquet"
    (extract / "manifest.json").write_text(json.dumps(manifest))

    assert _list_sizes(dbt_warehouse(extract, dbt_vars=EXTRACT_DATE)) == {
        "F84001": ("Alpha Health Centre", 4, dt.date(2025, 4, 1)),
        "F84002": ("Beta Surgery", 2, dt.date(2025, 4, 1)),
    }
