"""The clinical readings layer (models/intermediate/clinical) on generated extracts, against what the generator planted.

Each extract is generated a second time from its manifest's options with hooks that record every blood pressure
reading as generated (person, day, systolic, diastolic, whether it has a parent code) and the true IFCC value of every
HbA1c row the dirt step rewrites in DCCT %. The regenerated files must equal the tested extract's (same sha256), so the
record is the truth behind the warehouse built from it. These extracts are one generator chunk, so a chunk-local id
becomes the file id by adding 1 (the writer's first offset).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pytest

from equity_qi.generator import chronic, dirt
from equity_qi.generator.config import from_day
from equity_qi.generator.context import Kind
from equity_qi.generator.engine import Options, generate

DIRTY = [(11, "parquet"), (12, "parquet")]


@dataclass
class Planted:
    readings: Counter = field(default_factory=Counter)  # (person_id, date, systolic, diastolic, method) -> count
    dcct_ifcc: dict[int, float] = field(default_factory=dict)  # observation id -> true IFCC value of a DCCT row
    hba1c_ids: set[int] = field(default_factory=set)
    chunks: int = 0


@dataclass
class Built:
    warehouse: Path
    planted: Planted
    dirt: dict[str, int]
    extract_end: str

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()

    def ids(self, sql: str) -> set[int]:
        return {row[0] for row in self.query(sql)}


def _record_planted(extract: Path, out: Path) -> Planted:
    """Regenerate `extract` into `out` from its manifest's options, recording the planted readings."""
    manifest = json.loads((extract / "manifest.json").read_text())
    planted = Planted()
    add_bp_readings, rewrite_observations = chronic.add_bp_readings, dirt._rewrite_observations

    def recording_add_bp_readings(ch, person, day, systolic, diastolic) -> None:
        add_bp_readings(ch, person, day, systolic, diastolic)
        has_parent = ch.obs.columns["parent"][-1] >= 0  # the parent column of the diastolic rows just added
        for row in zip(person.tolist(), day.tolist(), systolic.tolist(), diastolic.tolist(), has_parent.tolist()):
            planted.readings[(row[0] + 1, from_day(row[1]), row[2], row[3], "parent" if row[4] else "same_day")] += 1

    def recording_rewrite_observations(ch, obs, counts) -> None:
        hba1c = np.flatnonzero(obs["_kind"] == Kind.HBA1C)
        before = obs["result_value"][hba1c].copy()
        rewrite_observations(ch, obs, counts)
        changed = obs["result_value"][hba1c] != before
        planted.dcct_ifcc.update(zip((obs["id"][hba1c][changed] + 1).tolist(), before[changed].tolist()))
        planted.hba1c_ids.update((obs["id"][hba1c] + 1).tolist())
        planted.chunks += 1

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chronic, "add_bp_readings", recording_add_bp_readings)
        patch.setattr(dirt, "add_bp_readings", recording_add_bp_readings)
        patch.setattr(dirt, "_rewrite_observations", recording_rewrite_observations)
        generate(Options(out=out, fmt=manifest["format"], **manifest["options"]))
    again = json.loads((out / "manifest.json").read_text())
    assert {t: v["sha256"] for t, v in again["tables"].items()} == {
        t: v["sha256"] for t, v in manifest["tables"].items()
    }
    assert planted.chunks == 1, "ids are only predictable for a one-chunk extract"
    return planted


def _built(extract: Path, dbt_warehouse, tmp_path_factory) -> Built:
    truth = json.loads((extract / "ground_truth.json").read_text())
    planted = _record_planted(extract, tmp_path_factory.mktemp("replay") / extract.name)
    end = json.loads((extract / "manifest.json").read_text())["period"]["end"]
    return Built(dbt_warehouse(extract), planted, truth["dirt"], end)


@pytest.fixture(scope="module", params=DIRTY, ids=[f"seed{seed}-{fmt}" for seed, fmt in DIRTY])
def dirty(request, dirty_extract, dbt_warehouse, tmp_path_factory) -> Built:
    return _built(dirty_extract(*request.param), dbt_warehouse, tmp_path_factory)


@pytest.fixture(scope="module")
def clean(clean_extract, dbt_warehouse, tmp_path_factory) -> Built:
    return _built(clean_extract, dbt_warehouse, tmp_path_factory)


def _pairs(built: Built) -> Counter:
    rows = built.query(
        "select person_id, reading_date, systolic_mmhg, diastolic_mmhg, pairing_method"
        " from intermediate.int_clinical__blood_pressure_readings"
    )
    return Counter((p, d, float(s), float(di), m) for p, d, s, di, m in rows)


def _unpaired_bp_ids(built: Built) -> set[int]:
    return built.ids(
        "select observation_id from intermediate.int_clinical__coded_events where codelist_id in ('sbp_qof', 'dbp_qof')"
        " except select systolic_observation_id from intermediate.int_clinical__blood_pressure_readings"
        " except select diastolic_observation_id from intermediate.int_clinical__blood_pressure_readings"
    )


def _assert_pairs_are_the_planted_readings(built: Built) -> None:
    """Same person, day, values and pairing method: 'parent' for a reading planted with a parent code, 'same_day' for
    one planted without (the generator's no-parent share), so every pair is right, same-day rank by id included."""
    pairs, planted = _pairs(built), built.planted.readings
    assert sum(planted.values()) > 1000 and sum(n for key, n in planted.items() if key[4] == "same_day") > 0
    assert pairs == planted, (list((pairs - planted).items())[:5], list((planted - pairs).items())[:5])


def test_blood_pressure_pairs_are_exactly_the_planted_readings_on_a_clean_extract(clean) -> None:
    _assert_pairs_are_the_planted_readings(clean)
    assert _unpaired_bp_ids(clean) == set()
    assert clean.query("select count(*) from intermediate.int_data_quality__observation_checks") == [(0,)]


def test_blood_pressure_pairs_are_exactly_the_planted_readings_on_a_dirty_extract(dirty) -> None:
    _assert_pairs_are_the_planted_readings(dirty)  # implausible and orphan readings are extra rows, never paired


def test_only_orphan_diastolics_stay_unpaired_and_quarantined_readings_are_not_used(dirty) -> None:
    orphans = dirty.ids(
        "select observation_id from intermediate.int_data_quality__observation_checks"
        " where dq_reason = 'orphan_diastolic'"
    )
    assert len(orphans) == dirty.dirt["orphan_diastolic"] > 0
    assert _unpaired_bp_ids(dirty) == orphans
    implausible = dirty.ids(
        "select id from staging.stg_discovery__observation"
        " where dq_reason in ('bp_systolic_implausible', 'bp_diastolic_implausible')"
    )
    assert len(implausible) == 2 * dirty.dirt["implausible_bp"] > 0
    used = dirty.ids(
        "select systolic_observation_id from intermediate.int_clinical__blood_pressure_readings"
        " union select diastolic_observation_id from intermediate.int_clinical__blood_pressure_readings"
    )
    assert not (used & implausible) and not (used & orphans)


def test_hba1c_dcct_rows_are_converted_back_to_their_true_ifcc_value(dirty) -> None:
    rows = dirty.query(
        "select observation_id, recorded_value, recorded_unit_system, unit_rule, hba1c_mmol_mol, invalid_reason"
        " from intermediate.int_clinical__hba1c_readings"
    )
    planted = dirty.planted
    assert len(planted.dcct_ifcc) == dirty.dirt["hba1c_dcct"] > 0
    assert {row[0] for row in rows} == planted.hba1c_ids
    assert [row for row in rows if row[5] is not None] == []  # the generator writes valid values only
    dcct = {row[0]: float(row[4]) for row in rows if row[2] == "dcct"}
    assert set(dcct) == set(planted.dcct_ifcc)
    assert {row[3] for row in rows if row[2] == "dcct"} == {"value_below_20"}
    staged_dcct = dirty.ids("select id from staging.stg_discovery__observation where dq_reason = 'hba1c_dcct'")
    assert staged_dcct == set(dcct)
    errors = {i: abs(value - planted.dcct_ifcc[i]) for i, value in dcct.items()}
    assert max(errors.values()) <= 0.5 + 1e-9, sorted(errors.items(), key=lambda item: -item[1])[:5]
    assert all(20 <= value <= 200 for value in dcct.values())
    ifcc = [(round(row[1], 1), float(row[4])) for row in rows if row[2] == "ifcc"]
    assert len(ifcc) == len(rows) - len(dcct) and all(recorded == value for recorded, value in ifcc)


def _expected_matches(built: Built, rows_sql: str, declared_only: bool) -> set[tuple[int, str, str]]:
    """The codelist matches of `rows_sql` (id, code_scheme, code, original_code_scheme, original_code), found by a
    dictionary lookup in Python: the oracle for the models' joins. declared_only: only the codelists an indicator
    declares (ref_indicators.codelist_ids), as the coded events match."""
    declared = {
        codelist_id
        for (codelist_ids,) in built.query("select codelist_ids from reference.ref_indicators")
        for codelist_id in codelist_ids.split(";")
    }
    codelists: dict[tuple[str, str], set[str]] = {}
    for codelist_id, scheme, code in built.query(
        "select codelist_id, code_scheme, code from reference.ref_codelist_codes"
    ):
        if codelist_id in declared or not declared_only:
            codelists.setdefault((scheme, code), set()).add(codelist_id)
    expected = {}
    for row_id, scheme, code, original_scheme, original_code in built.query(rows_sql):
        for codelist_id in codelists.get((original_scheme, original_code), ()):
            expected[(row_id, codelist_id)] = "original_code"
        for codelist_id in codelists.get((scheme, code), ()):
            expected[(row_id, codelist_id)] = "core_code"
    return {(row_id, codelist_id, matched_on) for (row_id, codelist_id), matched_on in expected.items()}


def test_coded_events_are_the_usable_observations_matched_on_either_code(dirty) -> None:
    expected = _expected_matches(
        dirty,
        "select id, code_scheme, code, original_code_scheme, original_code from staging.stg_discovery__observation"
        " where cast(id as varchar) not in (select record_key from marts.fct_dq_row_outcomes"
        " where source_table = 'observation' and action = 'quarantined')",
        declared_only=True,
    )
    found = dirty.query("select observation_id, codelist_id, matched_on from intermediate.int_clinical__coded_events")
    assert len(found) == len(set(found))
    assert set(found) == expected
    legacy = dirty.query(
        "select observations.original_code_scheme, count(*) from intermediate.int_clinical__coded_events as events"
        " inner join staging.stg_discovery__observation as observations on events.observation_id = observations.id"
        " where events.matched_on = 'original_code' group by all"
    )
    assert {scheme for scheme, n in legacy if n > 0} >= {"readv2", "ctv3"}
    quarantined = dirty.ids(
        "select observation_id from intermediate.int_data_quality__observation_checks"
        " where dq_reason != 'orphan_diastolic'"
        " union select id from staging.stg_discovery__observation where dq_reason in ('future_dated',"
        " 'bp_systolic_implausible', 'bp_diastolic_implausible')"
    )
    assert quarantined and not quarantined & dirty.ids(
        "select observation_id from intermediate.int_clinical__coded_events"
    )


def test_coded_medications_are_the_statements_up_to_the_extract_end_matched_on_either_code(dirty) -> None:
    expected = _expected_matches(
        dirty,
        "select id, code_scheme, code, original_code_scheme, original_code"
        " from staging.stg_discovery__medication_statement"
        f" where clinical_effective_date is null or clinical_effective_date <= date '{dirty.extract_end}'",
        declared_only=False,
    )
    found = dirty.query(
        "select medication_statement_id, codelist_id, matched_on from intermediate.int_clinical__coded_medications"
    )
    assert len(found) == len(set(found)) > 0
    assert set(found) == expected
