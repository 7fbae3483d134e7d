"""dbt over generated extracts: the list-size mart reproduces the generator's planted list sizes, on clean extracts
and on dirty ones (where staging must quarantine non-GMS, pre-registration and test-patient records and the
registration rule must resolve overlapping episodes)."""

from __future__ import annotations

import json

import duckdb
import pytest

from dbt_helpers import DIRTY_EXTRACTS


@pytest.mark.parametrize("as_of", ["2019-03-31", "2026-03-31"])
def test_list_sizes_equal_ground_truth_on_a_clean_extract(dbt_warehouse, clean_extract, as_of):
    warehouse = dbt_warehouse(clean_extract, {"as_of_date": as_of})
    truth = json.loads((clean_extract / "ground_truth.json").read_text())
    expected = {p["practice_code"]: p["registered_at_year_end"][as_of] for p in truth["practices"]}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select practice_code, registered_patients, as_of_date from marts.fct_practice_list_size"
        ).fetchall()
    assert {code: n for code, n, _ in rows} == expected
    assert {str(d) for _, _, d in rows} == {as_of}


def test_default_as_of_date_is_the_last_day_of_the_extract(dbt_warehouse, clean_extract):
    warehouse = dbt_warehouse(clean_extract)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        dates = con.execute("select distinct as_of_date from marts.fct_practice_list_size").fetchall()
    assert [str(d[0]) for d in dates] == ["2026-03-31"]


def _list_sizes(warehouse) -> dict[str, tuple[int, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select practice_code, registered_patients, as_of_date from marts.fct_practice_list_size"
        ).fetchall()
    return {code: (n, str(as_of)) for code, n, as_of in rows}


@pytest.mark.parametrize("as_of", ["2019-03-31", "2026-03-31"])
@pytest.mark.parametrize(("seed", "fmt"), DIRTY_EXTRACTS)
def test_list_sizes_equal_ground_truth_on_a_dirty_extract(dbt_warehouse, dirty_extract, seed, fmt, as_of):
    """Dirty extracts (every dirt kind planted): temporary, dummy and pre-registration episodes, test patients and
    registrations left open after a transfer must not change the list sizes. 2026-03-31 is the extract's last day,
    so that case uses the default as-of date and shares its build with tests/test_dbt_quarantine.py."""
    extract = dirty_extract(seed, fmt)
    truth = json.loads((extract / "ground_truth.json").read_text())
    assert min(truth["dirt"][kind] for kind in ("temporary_episodes", "dummy_episodes", "pre_registration",
                                               "overlapping_registrations", "test_patients")) > 0
    warehouse = dbt_warehouse(extract, None if as_of == "2026-03-31" else {"as_of_date": as_of})
    expected = {p["practice_code"]: (p["registered_at_year_end"][as_of], as_of) for p in truth["practices"]}
    assert _list_sizes(warehouse) == expected


@pytest.mark.parametrize(("seed", "fmt"), DIRTY_EXTRACTS)
def test_staging_removes_exactly_the_planted_deletes_and_duplicates(dbt_warehouse, dirty_extract, seed, fmt):
    extract = dirty_extract(seed, fmt)
    warehouse = dbt_warehouse(extract)
    truth = json.loads((extract / "ground_truth.json").read_text())["dirt"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        staged = con.execute("select count(*) from staging.stg_discovery__observation").fetchone()[0]
        raw = con.execute("select count(*) from raw_discovery.observation where not is_delete").fetchone()[0]
    # staging removed exactly the planted duplicates and the rows the deletes name, and kept every flagged row
    assert raw - staged == truth["duplicate_rows.observation"] + truth["deleted_rows.observation"]
