"""`--background-codes K`: K extra observation rows per clinical row, coded outside every codelist, on days the
patient already has a clean observation, and nothing else in the extract changes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from equity_qi.generator.background_codes import BACKGROUND_CONCEPTS
from equity_qi.generator.engine import GenerateError, Options, generate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def extracts(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folders = {}
    for k in (0, 3):
        folders[k] = tmp_path_factory.mktemp("background") / f"k{k}"
        generate(Options(out=folders[k], patients=3000, practices=3, seed=5, fmt="parquet", background_codes=k))
    return folders


def test_no_background_concept_is_in_a_codelist() -> None:
    with (ROOT / "seeds" / "codelists" / "ref_codelist_codes.csv").open() as handle:
        listed = {row["code"] for row in csv.DictReader(handle)}
    assert {code for code, _ in BACKGROUND_CONCEPTS} & listed == set()


def test_every_other_table_is_unchanged_and_the_manifest_says_k(extracts: dict[int, Path]) -> None:
    manifests = {k: json.loads((folder / "manifest.json").read_text()) for k, folder in extracts.items()}
    assert "background_codes" not in manifests[0]["options"]
    assert manifests[3]["options"]["background_codes"] == 3
    for table, entry in manifests[0]["tables"].items():
        if table not in ("observation", "concept"):
            assert manifests[3]["tables"][table]["sha256"] == entry["sha256"], table


def test_background_rows_are_k_per_clinical_row_on_the_patients_own_days(extracts: dict[int, Path]) -> None:
    con = duckdb.connect()
    k0, k3 = (f"read_parquet('{extracts[k]}/observation.parquet')" for k in (0, 3))
    concepts = f"read_parquet('{extracts[3]}/concept.parquet')"
    codes = ", ".join(f"'{code}'" for code, _ in BACKGROUND_CONCEPTS)
    # the K = 0 rows are all there, unchanged
    assert con.execute(f"select count(*) from (select * from {k0} except all select * from {k3})").fetchone()[0] == 0
    n_clinical = con.execute(f"select count(*) from {k0} where not is_delete").fetchone()[0]
    background = f"""(select o.* from {k3} as o inner join {concepts} as c on o.core_concept_id = c.dbid
                      where c.code in ({codes}))"""
    n_background, n_concepts = con.execute(
        f"select count(*), count(distinct core_concept_id) from {background}").fetchone()
    assert 2.9 * n_clinical <= n_background <= 3 * n_clinical
    assert n_concepts == len(BACKGROUND_CONCEPTS)
    # each on a day the same patient has a clean observation of the K = 0 extract
    orphans = con.execute(f"""
        select count(*) from {background} as b
        where not exists (select 1 from {k0} as o where o.patient_id = b.patient_id
                          and o.clinical_effective_date = b.clinical_effective_date)
    """).fetchone()[0]
    assert orphans == 0
    assert con.execute(f"select count(*) - count(distinct id) from {k3}").fetchone()[0] == \
        con.execute(f"select count(*) - count(distinct id) from {k0}").fetchone()[0]


def test_an_out_of_range_k_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GenerateError, match="--background-codes must be between 0 and 20"):
        generate(Options(out=tmp_path / "x", patients=3000, practices=3, background_codes=21))
