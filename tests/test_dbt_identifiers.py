"""No relation of the warehouse holds a direct identifier (issue 15): the scan (equity_qi.identifier_scan) looks
at every column of every table and view of a build of a dirty extract, whose test patients carry names, for columns
named like identifiers, postcodes, valid NHS numbers and any name, NHS number, postcode or address line of the
extract's own files. The scan itself is shown to catch each kind of leak planted in a copy of the warehouse. Marts
also carry no feed id (person_id, patient_id): their patient key is a hash."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from equity_qi.identifier_scan import scan

FEED_ID_COLUMN = re.compile(r"(^|_)(person_id|patient_id|pseudo_id)($|_)")
IDENTIFYING_FILE_COLUMNS = {
    "patient": ["nhs_number", "first_names", "last_name"],
    "person": ["nhs_number", "first_names", "last_name"],
    "patient_address": ["postcode", "address_line_1", "address_line_2", "address_line_3", "address_line_4"],
}


@pytest.fixture(scope="module")
def extract(dirty_extract) -> Path:
    return dirty_extract(11, "parquet")


@pytest.fixture(scope="module")
def warehouse(dbt_warehouse, extract) -> Path:
    return dbt_warehouse(extract)


@pytest.fixture(scope="module")
def file_identifiers(extract: Path) -> set[str]:
    """The names, NHS numbers, postcodes and address lines in the extract's files, read past the warehouse."""
    manifest = json.loads((extract / "manifest.json").read_text())
    values: set[str] = set()
    with duckdb.connect() as con:
        for table, columns in IDENTIFYING_FILE_COLUMNS.items():
            path = str(extract / manifest["tables"][table]["file"])
            for column in columns:
                rows = con.execute(f"select distinct {column} from read_parquet(?)", [path]).fetchall()
                values |= {value.strip() for (value,) in rows if value and value.strip()}
    return values


def test_the_extract_files_do_carry_identifiers(file_identifiers: set[str]) -> None:
    # otherwise the value scan below would prove nothing: the dirty extract's test and dummy patients carry names
    # (a pseudonymised feed leaves NHS numbers, address lines and postcodes empty; the planted leaks below show the
    # scan finds those)
    assert {"XXTEST", "MOUSE", "DUCK"} <= file_identifiers


def test_no_relation_holds_a_direct_identifier(warehouse: Path, file_identifiers: set[str]) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        schemas = {schema for (schema,) in con.execute("select table_schema from information_schema.tables").fetchall()}
        findings = scan(con, file_identifiers)
    assert {"raw_discovery", "staging", "intermediate", "marts", "reference"} <= schemas
    assert findings == []


@pytest.mark.parametrize(("planted", "expected"), [
    ("select 'Zzyzx' as first_names", "column named like a direct identifier"),
    ("select 'E1 6AN' as area", "values shaped like a postcode"),
    ("select 9434765919 as reference", "valid NHS numbers"),
    ("select '9434765919' as reference", "valid NHS numbers"),
    ("select 1234567890 as reference", None),  # ten digits, but check digit 10: not an NHS number
    ("select '{name}' as label", "equal to a name, NHS number, postcode or address"),
])
def test_the_scan_finds_a_planted_leak(warehouse: Path, file_identifiers: set[str], tmp_path: Path,
                                       planted: str, expected: str | None) -> None:
    copy = tmp_path / "leaky.duckdb"
    shutil.copy(warehouse, copy)
    known_name = sorted(value for value in file_identifiers if value.isalpha())[0]
    with duckdb.connect(str(copy)) as con:
        con.execute("create table marts.leak as " + planted.format(name=known_name.replace("'", "''")))
        findings = [finding for finding in scan(con, file_identifiers) if finding.startswith("marts.leak.")]
    assert [expected in finding for finding in findings] == ([True] if expected else [])


def test_no_mart_carries_a_feed_id(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = 'marts'"
        ).fetchall()
        n_keys, n_numeric = con.execute(
            "select count(*), count(try_cast(patient_key as bigint)) from marts.dim_patient"
        ).fetchone()
    assert [f"{t}.{c}" for t, c in columns if FEED_ID_COLUMN.search(c)] == []
    assert n_keys > 7000 and n_numeric == 0
