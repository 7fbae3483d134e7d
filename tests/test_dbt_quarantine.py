"""Quarantine and reconciliation on dirty generated extracts: every dirt kind the generator plants is caught by the
data-quality mart with exactly the count in ground_truth.json, nothing is caught that was not planted, and the
reconciliation accounts for every raw row of all ten tables.

tests/generator/test_dirt.py defines each dirt kind as found in the raw files (its DIRT_SQL); here the warehouse
must find the same rows through its own rules (staging dq_reason, int_data_quality__*_checks, staging's deletes and
de-duplication), listed in fct_dq_row_outcomes. The builds are shared with tests/test_dbt_generated_extract.py.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import DIRTY_EXTRACTS
from equity_qi.generator.schema import TABLES

# ground_truth.json["dirt"] key -> the (source_table, rule) of fct_dq_row_outcomes that must count exactly it.
DIRT_RULES = {
    "lsoa_null": ("patient_address", "lsoa_missing"),
    "lsoa_invalid": ("patient_address", "lsoa_malformed"),
    "lsoa_non_english": ("patient_address", "lsoa_non_english"),
    "lsoa_outside_nel": ("patient_address", "lsoa_outside_nel"),
    "future_dated": ("observation", "future_dated"),
    "before_birth": ("observation", "before_birth"),
    "after_death": ("observation", "after_death"),
    "partial_date.year": ("observation", "partial_date_year"),
    "partial_date.month": ("observation", "partial_date_month"),
    "implausible_bp": ("observation", "bp_systolic_implausible"),
    "hba1c_dcct": ("observation", "hba1c_dcct"),
    "orphan_diastolic": ("observation", "orphan_diastolic"),
    "temporary_episodes": ("episode_of_care", "temporary_registration"),
    "dummy_episodes": ("episode_of_care", "dummy_registration"),
    "pre_registration": ("episode_of_care", "pre_registration"),
    "overlapping_registrations": ("episode_of_care", "superseded_registration"),
    "test_patients": ("patient", "test_patient"),
    "duplicate_rows.observation": ("observation", "exact_duplicate"),
    "duplicate_rows.medication_statement": ("medication_statement", "exact_duplicate"),
    "duplicate_rows.patient_address": ("patient_address", "exact_duplicate"),
    "duplicate_rows.episode_of_care": ("episode_of_care", "exact_duplicate"),
    "deleted_rows.observation": ("observation", "delete_row"),
    "deleted_rows.medication_statement": ("medication_statement", "delete_row"),
    "deleted_rows.patient_address": ("patient_address", "delete_row"),
}

# Rules that count the same planted rows a second time: each implausible reading has a systolic and a diastolic
# value, each test patient has a person record as well as a patient record, each delete row removes one row.
ALSO_COUNTED = {
    ("observation", "bp_diastolic_implausible"): "implausible_bp",
    ("person", "test_patient"): "test_patients",
    ("observation", "deleted_by_delete_row"): "deleted_rows.observation",
    ("medication_statement", "deleted_by_delete_row"): "deleted_rows.medication_statement",
    ("patient_address", "deleted_by_delete_row"): "deleted_rows.patient_address",
}

# What the pipeline does with each rule's rows (the rest are quarantined).
NOT_QUARANTINED = {
    "delete_row": "deleted",
    "deleted_by_delete_row": "deleted",
    "exact_duplicate": "duplicate_removed",
    "hba1c_dcct": "corrected",
    "orphan_diastolic": "flagged",
    "partial_date_year": "flagged",
    "partial_date_month": "flagged",
    "lsoa_outside_nel": "flagged",
    "superseded_registration": "flagged",
}


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(params=DIRTY_EXTRACTS, ids=[f"seed{seed}-{fmt}" for seed, fmt in DIRTY_EXTRACTS])
def built(request, dbt_warehouse, dirty_extract) -> tuple[Path, Path, dict]:
    """(extract folder, warehouse, ground truth) of a dirty extract built with the default as-of date."""
    extract = dirty_extract(*request.param)
    truth = json.loads((extract / "ground_truth.json").read_text())
    return extract, dbt_warehouse(extract), truth


def _rule_counts(warehouse: Path) -> Counter:
    rows = _query(warehouse, "select source_table, rule, count(*) from marts.fct_dq_row_outcomes group by all")
    return Counter({(table, rule): n for table, rule, n in rows})


def test_every_dirt_kind_is_mapped_to_a_rule(built) -> None:
    _, _, truth = built
    assert sorted(truth["dirt"]) == sorted(DIRT_RULES), "map each ground_truth dirt kind to its rule in DIRT_RULES"
    assert all(truth["dirt"][kind] > 0 for kind in DIRT_RULES), "the extract must plant every dirt kind"


def test_every_dirt_kind_is_caught_with_the_planted_count(built) -> None:
    _, warehouse, truth = built
    counts = _rule_counts(warehouse)
    found = {kind: counts[rule] for kind, rule in DIRT_RULES.items()}
    assert found == {kind: truth["dirt"][kind] for kind in DIRT_RULES}
    also = {rule: counts[rule] for rule in ALSO_COUNTED}
    assert also == {rule: truth["dirt"][kind] for rule, kind in ALSO_COUNTED.items()}


def test_nothing_is_caught_that_was_not_planted(built) -> None:
    _, warehouse, _ = built
    expected_rules = set(DIRT_RULES.values()) | set(ALSO_COUNTED)
    assert {rule for rule, n in _rule_counts(warehouse).items() if n} <= expected_rules


def test_each_rule_has_its_action(built) -> None:
    _, warehouse, _ = built
    actions = dict(_query(warehouse, "select distinct rule, action from marts.fct_dq_row_outcomes"))
    assert actions == {rule: NOT_QUARANTINED.get(rule, "quarantined") for rule in actions}
    assert {rule for _, rule in DIRT_RULES.values()} <= set(actions)


def test_reconciliation_accounts_for_every_raw_row(built) -> None:
    extract, warehouse, truth = built
    dirt = truth["dirt"]
    manifest = json.loads((extract / "manifest.json").read_text())
    rows = _query(
        warehouse,
        "select source_table, raw_rows, deleted_rows, duplicate_rows_removed, quarantined_rows, kept_rows,"
        " corrected_rows, flagged_rows from marts.fct_dq_reconciliation",
    )
    reconciliation = {row[0]: row[1:] for row in rows}
    assert sorted(reconciliation) == sorted(TABLES)

    quarantined = Counter({
        "observation": dirt["future_dated"] + 2 * dirt["implausible_bp"] + dirt["before_birth"] + dirt["after_death"],
        "patient_address": dirt["lsoa_null"] + dirt["lsoa_invalid"] + dirt["lsoa_non_english"],
        "episode_of_care": dirt["temporary_episodes"] + dirt["dummy_episodes"] + dirt["pre_registration"],
        "patient": dirt["test_patients"],
        "person": dirt["test_patients"],
    })
    for table in TABLES:
        raw, deleted, duplicates, quarantined_rows, kept, corrected, flagged = reconciliation[table]
        assert raw == manifest["tables"][table]["rows"], table
        assert raw == kept + quarantined_rows + deleted + duplicates, table
        assert deleted == 2 * dirt.get(f"deleted_rows.{table}", 0), table  # each delete row and the row it removes
        assert duplicates == dirt.get(f"duplicate_rows.{table}", 0), table
        assert quarantined_rows == quarantined[table], table
        # kept rows counted straight from the raw view: delivered, not deleted, distinct, not quarantined
        key = TABLES[table].key
        distinct_rows = _query(
            warehouse,
            f"select count(*) from (select distinct * from raw_discovery.{table} where not is_delete"
            f" and {key} not in (select {key} from raw_discovery.{table} where is_delete))",
        )[0][0]
        assert kept == distinct_rows - quarantined[table], table
        assert corrected <= kept and flagged <= kept, table

    observation = reconciliation["observation"]
    assert observation[5] == dirt["hba1c_dcct"]  # corrected rows
    flagged_observations = (
        dirt["orphan_diastolic"] + dirt["partial_date.year"] + dirt["partial_date.month"]
    )
    assert observation[6] == flagged_observations
    assert reconciliation["patient_address"][6] == dirt["lsoa_outside_nel"]
    assert reconciliation["episode_of_care"][6] == dirt["overlapping_registrations"]


def test_quarantined_rows_stay_in_staging_and_out_of_the_list(built) -> None:
    _, warehouse, truth = built
    [(test_patients_staged, test_patients_registered)] = _query(
        warehouse,
        "select count(*), count(registered.person_id) from staging.stg_discovery__patient as patients"
        " left join intermediate.int_registrations__gms_registered_persons as registered"
        " on patients.person_id = registered.person_id where patients.dq_reason = 'test_patient'",
    )
    assert (test_patients_staged, test_patients_registered) == (truth["dirt"]["test_patients"], 0)
    [(temporary_or_dummy_registered,)] = _query(
        warehouse,
        "select count(*) from intermediate.int_registrations__gms_registered_persons as registered"
        " inner join staging.stg_discovery__episode_of_care as episodes on registered.person_id = episodes.person_id"
        " where episodes.dq_reason in ('temporary_registration', 'dummy_registration')",
    )
    assert temporary_or_dummy_registered == 0
