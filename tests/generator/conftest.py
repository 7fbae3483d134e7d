"""Extracts generated once per test session and shared by the generator tests."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from equity_qi.generator.engine import Options, generate

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


class Extract:
    """A generated extract folder with its manifest, ground truth and a DuckDB connection over its files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = json.loads((folder / "manifest.json").read_text())
        self.truth = json.loads((folder / "ground_truth.json").read_text())
        self.fmt = self.manifest["format"]
        self.con = duckdb.connect()
        self.con.execute("set threads = 2")
        for table in self.manifest["tables"]:
            self.con.execute(f"create view raw_{table} as select * from {self.reader(table)}")
        for seed in ("reference/ref_lsoa11_imd2019", "reference/ref_nel_lsoa11", "codelists/ref_codelist_codes"):
            name = seed.split("/")[1]
            self.con.execute(
                f"create view {name} as select * from read_csv('{SEEDS / seed}.csv', header=true, all_varchar=true)"
            )

    def reader(self, table: str) -> str:
        from equity_qi.generator.schema import TABLES

        path = self.folder / f"{table}.{self.fmt}"
        if self.fmt == "parquet":
            return f"read_parquet('{path}')"
        columns = ", ".join(f"'{name}': '{sql}'" for name, sql in TABLES[table].file_columns)
        return f"read_csv('{path}', header=true, auto_detect=false, columns={{{columns}}}, nullstr='')"

    def sql(self, query: str) -> list[tuple]:
        return self.con.execute(query).fetchall()

    def scalar(self, query: str):
        return self.con.execute(query).fetchone()[0]


def make(folder: Path, **options) -> Extract:
    generate(Options(out=folder, **options))
    return Extract(folder)


@pytest.fixture(scope="session")
def make_extract():
    """Factory: generate an extract into a folder and open it."""
    return make


@pytest.fixture(scope="session")
def small_csv(tmp_path_factory) -> Extract:
    """Small, dirtier than default, so every dirt kind appears."""
    return make(tmp_path_factory.mktemp("x") / "small_csv", patients=8000, practices=4, seed=11, dirty_rate=0.05)


@pytest.fixture(scope="session")
def small_parquet(tmp_path_factory) -> Extract:
    return make(tmp_path_factory.mktemp("x") / "small_parquet", patients=8000, practices=4, seed=11,
                dirty_rate=0.05, fmt="parquet")


@pytest.fixture(scope="session")
def planted(tmp_path_factory) -> Extract:
    """Large enough to measure the planted gradients and QI effects within sampling error."""
    return make(tmp_path_factory.mktemp("x") / "planted", patients=160_000, practices=30, seed=2024,
                fmt="parquet")


from planted import x  # noqa: E402,F401  (session fixture: views over the planted extract)
