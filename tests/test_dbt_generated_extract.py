"""dbt over generated extracts: the thin path reproduces the generator's planted list sizes."""

from __future__ import annotations

import json

import duckdb
import pytest

from equity_qi.generator.engine import Options, generate


@pytest.fixture(scope="module")
def clean_extract(tmp_path_factory):
    """No dirt: the thin registration rule of the first mart must then match the truth exactly."""
    folder = tmp_path_factory.mktemp("gen") / "clean"
    generate(Options(out=folder, patients=6000, practices=5, seed=21, dirty_rate=0.0, fmt="parquet"))
    return folder


@pytest.mark.parametrize("as_of", ["2019-03-31", "2026-03-31"])
def test_list_sizes_equal_ground_truth_on_a_clean_extract(dbt_warehouse, clean_extract, as_of):
    warehouse = dbt_warehouse(clean_extract, {"as_of_date": as_of})
    truth = json.loads((clean_extract / "ground_truth.json").read_text())
    expected = {p["practice_code"]: p["registered_at_year_end"][as_of] for p in truth["practices"]}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select practice_ods_code, registered_patients, as_of_date from main.fct_practice_list_size"
        ).fetchall()
    assert {code: n for code, n, _ in rows} == expected
    assert {str(d) for _, _, d in rows} == {as_of}


def test_default_as_of_date_is_the_last_day_of_the_extract(dbt_warehouse, clean_extract):
    warehouse = dbt_warehouse(clean_extract)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        dates = con.execute("select distinct as_of_date from main.fct_practice_list_size").fetchall()
    assert [str(d[0]) for d in dates] == ["2026-03-31"]


def test_dirty_csv_extract_builds_green(dbt_warehouse, tmp_path_factory):
    folder = tmp_path_factory.mktemp("gen") / "dirty"
    generate(Options(out=folder, patients=6000, practices=5, seed=22, dirty_rate=0.03))
    warehouse = dbt_warehouse(folder)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kept = con.execute("select count(*) from main.stg_discovery__observation").fetchone()[0]
        raw = con.execute("select count(*) from raw_discovery.observation where not is_delete").fetchone()[0]
    truth = json.loads((folder / "ground_truth.json").read_text())["dirt"]
    # staging removed exactly the planted duplicates and the rows the deletes name
    assert raw - kept == truth["duplicate_rows.observation"] + truth["deleted_rows.observation"]
