"""No public mart carries a direct identifier: no column is named like one (names, NHS number, date of birth,
postcode, address lines, the feed's own person/patient ids), and no text value in any mart equals a name, NHS
number, postcode or address line present in the raw extract (a dirty extract: its test patients carry names)."""

from __future__ import annotations

import re

import duckdb
import pytest

IDENTIFIER_COLUMN = re.compile(
    r"(^|_)(nhs_?number|first_names?|forenames?|last_name|surname|patient_name|person_name|title|date_of_birth|dob"
    r"|birth_date|postcode|post_code|address_line(_\d)?|address|city|person_id|patient_id|pseudo_id)($|_)"
)
RAW_IDENTIFIERS = """
    select distinct value from (
        select nhs_number as value from raw_discovery.patient
        union all select first_names from raw_discovery.patient
        union all select last_name from raw_discovery.patient
        union all select nhs_number from raw_discovery.person
        union all select first_names from raw_discovery.person
        union all select last_name from raw_discovery.person
        union all select postcode from raw_discovery.patient_address
        union all select address_line_1 from raw_discovery.patient_address
        union all select address_line_2 from raw_discovery.patient_address
    ) where nullif(trim(value), '') is not null
"""


@pytest.fixture(scope="module")
def warehouse(dbt_warehouse, dirty_extract):
    return dbt_warehouse(dirty_extract(11, "parquet"))


def _mart_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute("""
        select table_name, column_name, data_type
        from information_schema.columns
        where table_schema = 'marts'
          and (table_name like 'dim\\_%' escape '\\' or table_name like 'fct\\_%' escape '\\')
        order by table_name, ordinal_position
    """).fetchall()


def test_the_marts_are_there(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {table for table, _, _ in _mart_columns(con)}
    assert {"dim_patient", "dim_practice", "dim_lsoa", "fct_practice_list_size", "fct_dq_recording_completeness",
            "fct_dq_uneven_missingness"} <= tables


def test_no_mart_column_is_named_like_a_direct_identifier(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        offending = [f"{t}.{c}" for t, c, _ in _mart_columns(con) if IDENTIFIER_COLUMN.search(c)]
    assert offending == []


def test_no_mart_text_value_is_a_raw_identifier(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        identifiers = {row[0] for row in con.execute(RAW_IDENTIFIERS).fetchall()}
        assert identifiers, "the dirty extract should carry some names (test patients)"
        con.execute("create temp table raw_identifiers as " + RAW_IDENTIFIERS)
        leaks = []
        for table, column, data_type in _mart_columns(con):
            if data_type != "VARCHAR":
                continue
            found = con.execute(
                f"select count(*) from marts.{table} where {column} in (select value from raw_identifiers)"
            ).fetchone()[0]
            if found:
                leaks.append(f"{table}.{column}: {found}")
    assert leaks == []


def test_patient_key_is_not_the_feed_person_id(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        n_keys, n_numeric = con.execute(
            "select count(*), count(try_cast(patient_key as bigint)) from marts.dim_patient"
        ).fetchone()
    assert n_keys > 7000
    assert n_numeric == 0
