"""`equity-qi publish --postgres URL` (equity_qi.publish_postgres) against a real PostgreSQL server started for the
tests (tests/pg_server.py): every published relation arrives with its rows, NULLs, values and contract types; a
republish swaps the schema in one transaction while a reader keeps reading, so every read sees the old version or
the new one, never a mix; and a publish that fails, before or during the load, leaves the old version as it was."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psycopg2
import pytest

from equity_qi.cli import main as cli_main
from equity_qi.publish_postgres import TYPES, PublishError, publish
from pg_server import postgres_server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def warehouse(dbt_warehouse, dirty_extract) -> Path:
    return dbt_warehouse(dirty_extract(11, "parquet"))


def _pg(url: str, sql: str) -> list[tuple]:
    with psycopg2.connect(url) as con, con.cursor() as cur:
        cur.execute(sql)
        rows = cur.fetchall()
    con.close()
    return rows


def _shape(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    shape: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in con.execute(
        "select table_name, column_name, data_type from information_schema.columns where table_schema = 'published'"
        " order by table_name, ordinal_position"
    ).fetchall():
        shape.setdefault(table, []).append((column, dtype))
    return shape


def test_every_published_relation_arrives_with_its_rows_values_and_types(server: str, warehouse: Path) -> None:
    assert cli_main(["publish", "--duckdb", str(warehouse), "--postgres", server]) == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        shape = _shape(con)
        assert {"indicator_rates", "inequality_indices", "spc", "qi_equity_impact", "dim_practice"} <= set(shape)
        pg_columns = _pg(server, "select table_name, column_name, data_type from information_schema.columns"
                                 " where table_schema = 'published' order by table_name, ordinal_position")
        expected_columns = [(t, c, TYPES[d]) for t, cols in shape.items() for c, d in cols]
        assert pg_columns == expected_columns
        for table, columns in shape.items():
            # per column: non-NULL count, and for numbers their sum; text and dates by a count of distinct values
            probes = []
            for column, dtype in columns:
                probes.append(f'count("{column}")')
                if dtype in ("DOUBLE", "FLOAT", "BIGINT", "INTEGER"):  # summed as doubles (a real sums as a real)
                    probes.append(f'sum(cast("{column}" as double precision))')
                elif dtype in ("VARCHAR", "DATE"):
                    probes.append(f'count(distinct "{column}")')
            sql = f"select count(*), {', '.join(probes)} from published.{table}"
            got = _pg(server, sql)[0]
            want = con.execute(sql).fetchone()
            assert len(got) == len(want)
            for g, w in zip(got, want, strict=True):
                assert (g is None and w is None) or g == pytest.approx(w, rel=1e-9), (table, got, want)
    assert _pg(server, "select count(*) from published.indicator_rates where suppression_reason is not null"
                       " and value is null")[0][0] > 100


def _smaller_copy(warehouse: Path, folder: Path) -> Path:
    copy = folder / "smaller.duckdb"
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("delete from published.indicator_rates where geography_level = 'icb'")
        con.execute("delete from published.spc where geography_level = 'icb'")
    return copy


COUNTS = "select (select count(*) from published.indicator_rates), (select count(*) from published.spc)"


def test_a_republish_swaps_atomically_while_a_reader_reads(server: str, warehouse: Path, tmp_path: Path) -> None:
    publish(warehouse, server)
    before = _pg(server, COUNTS)[0]
    smaller = _smaller_copy(warehouse, tmp_path)
    seen: list[tuple[int, int]] = []
    errors: list[Exception] = []
    done = threading.Event()

    def read() -> None:
        con = psycopg2.connect(server)
        con.autocommit = True  # every read is its own snapshot, as a BI tool's queries are
        try:
            with con.cursor() as cur:
                while not done.is_set() or len(seen) < 5:
                    cur.execute(COUNTS)
                    seen.append(cur.fetchone())
        except Exception as exc:  # noqa: BLE001 - any failure of the reader is the finding
            errors.append(exc)
        finally:
            con.close()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        publish(smaller, server)
        after = _pg(server, COUNTS)[0]
    finally:
        done.set()
        reader.join(timeout=120)
    assert errors == []
    assert after != before and after[0] < before[0] and after[1] < before[1]
    assert set(seen) <= {before, after} and seen[0] == before and seen[-1] == after, set(seen)


def test_a_failed_publish_leaves_the_old_version(server: str, warehouse: Path, tmp_path: Path) -> None:
    publish(warehouse, server)
    before = _pg(server, COUNTS)[0]
    unsupported = tmp_path / "unsupported.duckdb"
    shutil.copy(warehouse, unsupported)
    with duckdb.connect(str(unsupported)) as con:
        con.execute("create table published.lists as select [1, 2] as code_list")
    with pytest.raises(PublishError, match=r"published\.lists\.code_list: type INTEGER\[\]"):
        publish(unsupported, server)
    # a failure in the middle of the load: PostgreSQL refuses a NUL byte in text, after other tables are loaded
    broken = tmp_path / "broken.duckdb"
    shutil.copy(warehouse, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute("create table published.zz_notes as select 'a' || chr(0) || 'b' as note")
    with pytest.raises(psycopg2.Error):
        publish(broken, server)
    assert cli_main(["publish", "--duckdb", str(broken), "--postgres", server]) == 2
    assert _pg(server, COUNTS)[0] == before
    schemas = {r[0] for r in _pg(server, "select schema_name from information_schema.schemata")}
    assert "published" in schemas and not schemas & {"published__incoming", "published__previous"}
    assert _pg(server, "select count(*) from information_schema.tables where table_schema = 'published'"
                       " and table_name = 'zz_notes'")[0][0] == 0


def test_a_reader_that_never_lets_go_gets_a_clear_refusal_not_a_deadlock(server: str, warehouse: Path,
                                                                           tmp_path: Path) -> None:
    publish(warehouse, server)
    before = _pg(server, COUNTS)[0]
    holder = psycopg2.connect(server)
    try:
        with holder.cursor() as cur:  # an open transaction that has read a table keeps its lock until it ends
            cur.execute("select count(*) from published.spc")
            with pytest.raises(PublishError, match="readers held schema published for 1 s"):
                publish(_smaller_copy(warehouse, tmp_path), server, lock_wait_seconds=1)
            cur.execute(COUNTS)  # the reader is unharmed and still sees the old version
            assert cur.fetchone() == before
    finally:
        holder.close()
    assert _pg(server, COUNTS)[0] == before
    schemas = {r[0] for r in _pg(server, "select schema_name from information_schema.schemata")}
    assert not schemas & {"published__incoming", "published__previous"}
