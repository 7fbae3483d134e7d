"""The files are Compass v2 shaped: right tables, columns, types, delete rows, manifest and determinism."""

from __future__ import annotations

import hashlib
import json

import pyarrow.parquet as pq
import pytest

from equity_qi.generator.schema import TABLES
from equity_qi.generator.writer import arrow_schema


def test_every_table_has_a_file_with_the_compass_columns_in_order(small_csv):
    for table, spec in TABLES.items():
        path = small_csv.folder / f"{table}.csv"
        header = path.open().readline().strip().replace('"', "").split(",")
        assert header == ["is_delete", *spec.column_names], table


def test_csv_values_parse_with_the_declared_types(small_csv):
    for table in TABLES:
        rows = small_csv.scalar(f"select count(*) from raw_{table}")
        assert rows == small_csv.manifest["tables"][table]["rows"], table
    assert small_csv.scalar("select min(date_registered) from raw_episode_of_care") is not None
    assert small_csv.scalar("select count(*) from raw_observation where date_recorded is null and not is_delete") == 0


def test_parquet_schema_matches_compass_types(small_parquet):
    for table in TABLES:
        schema = pq.read_schema(small_parquet.folder / f"{table}.parquet")
        assert schema.names == ["is_delete", *TABLES[table].column_names]
        assert schema.types == arrow_schema(table).types, table


def test_delete_rows_carry_only_the_flag_and_the_key(small_csv):
    for table, spec in TABLES.items():
        others = [c for c in spec.column_names if c != spec.key]
        not_null = " or ".join(f"{c} is not null" for c in others)
        bad = small_csv.scalar(f"select count(*) from raw_{table} where is_delete and ({not_null})")
        assert bad == 0, table
        assert small_csv.scalar(f"select count(*) from raw_{table} where is_delete and {spec.key} is null") == 0


def test_deletes_point_at_rows_in_the_same_file(small_csv):
    for table in ("observation", "medication_statement", "patient_address"):
        deletes = small_csv.scalar(f"select count(*) from raw_{table} where is_delete")
        assert deletes > 0, table
        orphans = small_csv.scalar(
            f"select count(*) from raw_{table} d where d.is_delete and not exists "
            f"(select 1 from raw_{table} r where not r.is_delete and r.id = d.id)"
        )
        assert orphans == 0, table


def test_manifest_counts_and_checksums_match_the_files(small_csv):
    for table, entry in small_csv.manifest["tables"].items():
        data = (small_csv.folder / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert data.count(b"\n") - 1 == entry["rows"], table
    assert small_csv.manifest["format"] == "csv"
    assert small_csv.manifest["extract_timestamp"] == "2026-04-01T02:00:00"


def test_identifiers_are_absent_except_for_test_patients(small_csv):
    named = small_csv.scalar("select count(*) from raw_patient where last_name is not null")
    assert named == small_csv.truth["dirt"]["test_patients"]
    assert small_csv.scalar("select count(*) from raw_patient where nhs_number is not null") == 0
    assert small_csv.scalar("select count(*) from raw_patient_address where postcode is not null") == 0
    assert small_csv.scalar("select count(*) from raw_patient where day(date_of_birth) <> 1") == 0


def test_ids_are_unique_within_each_table_apart_from_planted_duplicates(small_csv):
    for table, spec in TABLES.items():
        dup = small_csv.truth["dirt"].get(f"duplicate_rows.{table}", 0)
        deleted = small_csv.truth["dirt"].get(f"deleted_rows.{table}", 0)
        extra = small_csv.scalar(f"select count(*) - count(distinct {spec.key}) from raw_{table}")
        assert extra == dup + deleted, table


def test_concept_map_links_legacy_codes_to_core_concepts(small_csv):
    unmapped = small_csv.scalar(
        "select count(*) from raw_observation o where not o.is_delete and o.core_concept_id <> o.non_core_concept_id "
        "and not exists (select 1 from raw_concept_map m where m.legacy = o.non_core_concept_id "
        "and m.core = o.core_concept_id)"
    )
    assert unmapped == 0
    schemes = dict(small_csv.sql(
        "select s.code, count(*) from raw_observation o join raw_concept c on c.dbid = o.non_core_concept_id "
        "join raw_concept s on s.dbid = c.scheme where not o.is_delete group by 1"
    ))
    assert {"SNOMED", "READ2", "CTV3", "EMIS_LOCAL"} <= set(schemes)
    assert small_csv.scalar("select dbid from raw_concept where id = 'FHIR_RT_R'") == 1335267


def test_same_seed_and_options_give_identical_bytes(tmp_path, make_extract):
    make = make_extract
    first = make(tmp_path / "a", patients=3000, practices=3, seed=5)
    second = make(tmp_path / "b", patients=3000, practices=3, seed=5)
    other = make(tmp_path / "c", patients=3000, practices=3, seed=6)
    digests = lambda x: {t: e["sha256"] for t, e in x.manifest["tables"].items()}  # noqa: E731
    assert digests(first) == digests(second)
    for name in ("ground_truth.json", "qi_projects.csv", "manifest.json"):
        assert (first.folder / name).read_bytes() == (second.folder / name).read_bytes()
    assert digests(first)["observation"] != digests(other)["observation"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_ground_truth_records_parameters_and_list_sizes(small_csv, small_parquet, fmt):
    extract = small_csv if fmt == "csv" else small_parquet
    truth = extract.truth
    assert truth["config"]["hypertension"]["control_by_quintile"] == [0.60, 0.63, 0.66, 0.69, 0.72]
    assert len(truth["practices"]) == 4
    assert truth["year_ends"][0] == "2017-03-31" and truth["year_ends"][-1] == "2026-03-31"
    for practice in truth["practices"]:
        assert all(v > 0 for v in practice["registered_at_year_end"].values())
    assert json.dumps(truth)  # serialisable, no NaN
