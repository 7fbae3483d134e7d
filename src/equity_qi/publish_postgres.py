"""Publish the warehouse's schema `published` to PostgreSQL for enterprise BI (Power BI reads it natively).

    equity-qi publish --duckdb WAREHOUSE --postgres postgresql://user@host:port/db

Every relation of schema `published` is loaded, in one transaction, into a new schema `published__incoming` (tables
created with the contract's column types, rows streamed with COPY, row counts checked), which then replaces schema
`published` by two renames before the commit. PostgreSQL's DDL is transactional, so a reader sees the old version or
the new one, never a mix and never a half-loaded table: the swap first takes every old table from its readers at once
(see _take_from_readers). A failed publish rolls back and leaves the old version as it was. Concurrent publishers
queue on an advisory lock.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

SCHEMA = "published"
INCOMING = "published__incoming"
PREVIOUS = "published__previous"
LOCK_KEY = 7_514_151  # advisory lock shared by every equity-qi publisher

# DuckDB type -> PostgreSQL type; DECIMAL(p, s) keeps its precision.
TYPES = {
    "VARCHAR": "text", "DATE": "date", "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "DOUBLE": "double precision", "FLOAT": "real", "BIGINT": "bigint", "INTEGER": "integer", "SMALLINT": "smallint",
    "TINYINT": "smallint", "HUGEINT": "numeric(38, 0)", "UBIGINT": "numeric(20, 0)", "UINTEGER": "bigint",
    "BOOLEAN": "boolean",
}
DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")


class PublishError(Exception):
    """A publish that cannot go ahead; nothing was changed in PostgreSQL."""


@dataclass(frozen=True)
class Relation:
    name: str
    columns: list[tuple[str, str]]  # (column, PostgreSQL type)
    rows: int


def postgres_type(duckdb_type: str, relation: str, column: str) -> str:
    if duckdb_type in TYPES:
        return TYPES[duckdb_type]
    if match := DECIMAL.match(duckdb_type):
        return f"numeric({match[1]}, {match[2]})"
    raise PublishError(f"{SCHEMA}.{relation}.{column}: type {duckdb_type} has no PostgreSQL equivalent here")


def published_relations(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    """The relations of schema `published` with their columns mapped to PostgreSQL types and their row counts."""
    names = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = ? order by table_name", [SCHEMA]
    ).fetchall()]
    if not names:
        raise PublishError(f"the warehouse has no schema {SCHEMA} (run dbt build first)")
    relations = []
    for name in names:
        columns = [(column, postgres_type(dtype, name, column)) for column, dtype in con.execute(
            "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?"
            " order by ordinal_position", [SCHEMA, name]
        ).fetchall()]
        rows = con.execute(f'select count(*) from {SCHEMA}."{name}"').fetchone()[0]
        relations.append(Relation(name, columns, rows))
    return relations


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _load(cur: Any, con: duckdb.DuckDBPyConnection, relation: Relation, scratch: Path) -> None:
    table = f"{INCOMING}.{_quoted(relation.name)}"
    columns = ", ".join(f"{_quoted(c)} {t}" for c, t in relation.columns)
    cur.execute(f"create table {table} ({columns})")
    csv_file = scratch / f"{relation.name}.csv"
    # NULL as \N and every other value quoted, so an empty string stays an empty string
    con.execute(
        f"copy (select * from {SCHEMA}.{_quoted(relation.name)}) to '{csv_file}' "
        "(format csv, header false, nullstr '\\N', force_quote *)"
    )
    with csv_file.open() as data:
        cur.copy_expert(f"copy {table} from stdin with (format csv, null '\\N')", data)
    csv_file.unlink()
    cur.execute(f"select count(*) from {table}")
    loaded = cur.fetchone()[0]
    if loaded != relation.rows:
        raise PublishError(f"{SCHEMA}.{relation.name}: {loaded} rows loaded into PostgreSQL, {relation.rows} in DuckDB")


def _take_from_readers(cur: Any, wait_seconds: float) -> None:
    """Lock every table of the old schema at once, never waiting while holding some: a reader's query that reads
    two tables holds the first while it asks for the second, so waiting for locks one by one could deadlock with it
    (and a swap committed between its two reads would show it a mix). Each attempt is NOWAIT inside a savepoint,
    whose rollback frees what it took; readers arriving meanwhile wait briefly, then read the new version."""
    from psycopg2 import errors

    cur.execute("select quote_ident(table_name) from information_schema.tables where table_schema = %s", [SCHEMA])
    tables = ", ".join(f"{SCHEMA}.{name}" for (name,) in cur.fetchall())
    if not tables:
        return
    deadline = time.monotonic() + wait_seconds
    while True:
        cur.execute("savepoint take_from_readers")
        try:
            cur.execute(f"lock table {tables} in access exclusive mode nowait")
            return
        except errors.LockNotAvailable:
            cur.execute("rollback to savepoint take_from_readers")
            if time.monotonic() > deadline:
                raise PublishError(
                    f"readers held schema {SCHEMA} for {wait_seconds:.0f} s without a gap; nothing was changed"
                ) from None
            time.sleep(0.02)


def publish(duckdb_path: Path, url: str, lock_wait_seconds: float = 600) -> list[Relation]:
    """Load schema `published` of the DuckDB file into PostgreSQL at `url` and swap it in atomically."""
    import psycopg2

    if not Path(duckdb_path).is_file():
        raise PublishError(f"{duckdb_path}: no such warehouse file")
    with duckdb.connect(str(duckdb_path), read_only=True) as con, tempfile.TemporaryDirectory() as scratch:
        con.execute("set enable_progress_bar = false")
        relations = published_relations(con)
        pg = psycopg2.connect(url)
        try:
            with pg, pg.cursor() as cur:  # one transaction: committed at the end of the block, else rolled back
                cur.execute("select pg_advisory_xact_lock(%s)", [LOCK_KEY])
                cur.execute(f"drop schema if exists {INCOMING} cascade")
                cur.execute(f"create schema {INCOMING}")
                for relation in relations:
                    _load(cur, con, relation, Path(scratch))
                cur.execute("select 1 from information_schema.schemata where schema_name = %s", [SCHEMA])
                if cur.fetchone():
                    _take_from_readers(cur, lock_wait_seconds)
                    cur.execute(f"alter schema {SCHEMA} rename to {PREVIOUS}")
                cur.execute(f"alter schema {INCOMING} rename to {SCHEMA}")
                cur.execute(f"drop schema if exists {PREVIOUS} cascade")
        finally:
            pg.close()
    return relations


def main(duckdb_path: Path, url: str) -> int:
    relations = publish(duckdb_path, url)
    print(f"published {len(relations)} relations ({sum(r.rows for r in relations):,} rows) to PostgreSQL schema "
          f"{SCHEMA}: " + ", ".join(r.name for r in relations))
    return 0
