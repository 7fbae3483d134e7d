"""dbt demographics and the patient / practice / data-quality marts on generated extracts, against the planted truth:
registered persons by IMD quintile at every year end, list sizes at every year end on dirty extracts, ethnicity
equal to the record's own latest code, and planted uneven missingness of ethnicity found (and not found when none
is planted)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import yaml

from dbt_helpers import DIRTY_EXTRACTS
from equity_qi.generator.engine import Options, generate


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_registered_persons_by_imd_quintile_equal_truth_at_every_year_end(dbt_warehouse, clean_extract):
    """Registration periods x address history x IMD: on a clean extract every registered person is placed in the
    planted IMD quintile of the address they live at on each 31 March."""
    warehouse = dbt_warehouse(clean_extract)
    truth = json.loads((clean_extract / "ground_truth.json").read_text())["realised"]["prevalence_at_year_end"]
    rows = _query(warehouse, """
        select cast(period_end as varchar), imd_quintile, sum(registered_patients)
        from marts.fct_dq_recording_completeness
        group by all
    """)
    got: dict[str, list[int]] = {}
    for date, quintile, n in rows:
        assert quintile != "unknown", f"a registered person without IMD on a clean extract ({date})"
        got.setdefault(date, [0] * 5)[int(quintile) - 1] = n
    assert got == {date: values["registered"] for date, values in truth.items()}


@pytest.mark.parametrize("seed,fmt", [e for e in DIRTY_EXTRACTS if e[1] == "parquet"])
def test_year_end_list_sizes_equal_truth_on_dirty_extracts(dbt_warehouse, dirty_extract, seed, fmt):
    folder = dirty_extract(seed, fmt)
    warehouse = dbt_warehouse(folder)
    truth = json.loads((folder / "ground_truth.json").read_text())
    expected = {
        (date, practice["practice_code"]): n
        for practice in truth["practices"]
        for date, n in practice["registered_at_year_end"].items()
    }
    rows = _query(warehouse, """
        select cast(period_end as varchar), practice_code, sum(registered_patients)
        from marts.fct_dq_recording_completeness
        group by all
    """)
    got = {(date, code): n for date, code, n in rows}
    assert {key: n for key, n in expected.items() if n} == got


@pytest.mark.parametrize("seed,fmt", [e for e in DIRTY_EXTRACTS if e[1] == "parquet"])
def test_ethnicity_is_the_records_latest_code(dbt_warehouse, dirty_extract, seed, fmt):
    """The generator sets patient.ethnic_code_concept_id to the person's latest ethnicity code (as Discovery does),
    with older conflicting codes and 'not stated' planted: the derivation from observations must agree for every
    person, and all three statuses must occur."""
    warehouse = dbt_warehouse(dirty_extract(seed, fmt))
    rows = _query(warehouse, """
        select
            coalesce(persons.ethnicity_nhs16_code, '-') as derived,
            coalesce(replace(concepts.id, 'FHIR_EC_', ''), '-') as recorded,
            persons.ethnicity_status,
            persons.has_conflicting_ethnicity_codes
        from intermediate.int_demographics__persons_at_date as persons
        inner join staging.stg_discovery__patient as patients on persons.patient_id = patients.id
        left join staging.stg_discovery__concept as concepts on patients.ethnic_code_concept_id = concepts.dbid
    """)
    assert len(rows) > 7000
    assert [row for row in rows if row[0] != row[1]] == []
    assert {row[2] for row in rows} == {"recorded", "not_stated", "not_recorded"}
    assert any(row[3] for row in rows)


def _uneven_extract(tmp_path: Path, shares: list[float], seed: int) -> Path:
    config = tmp_path / "ethnicity.yaml"
    config.write_text(yaml.safe_dump({"ethnicity_recording": {"not_recorded_by_quintile": shares}}))
    folder = tmp_path / "extract"
    generate(Options(out=folder, patients=12000, practices=4, seed=seed, dirty_rate=0.0, fmt="parquet",
                     config=config))
    return folder


def test_planted_uneven_ethnicity_missingness_is_flagged(dbt_warehouse, tmp_path_factory):
    """Ethnicity missing for 35% of the most deprived quintile but 3% of the least: at ICB level the chi-square flag
    fires and the most deprived quintile is uneven upwards, the least downwards; practices are flagged where their
    list spans enough quintiles to show it (3 of the 4 here; the fourth lives mostly in one quintile)."""
    folder = _uneven_extract(tmp_path_factory.mktemp("uneven"), [0.35, 0.25, 0.15, 0.08, 0.03], seed=31)
    warehouse = dbt_warehouse(folder)
    rows = _query(warehouse, """
        select geography_level, geography_code, stratum, is_uneven, difference, is_practice_flagged
        from marts.fct_dq_uneven_missingness
        where check_name = 'ethnicity_not_recorded_by_imd_quintile' and period_end = date '2026-03-31'
    """)
    practices = {code for level, code, *_ in rows if level == "practice"}
    assert len(practices) == 4
    flagged_practices = {code for level, code, *_, flagged in rows if level == "practice" and flagged}
    assert len(flagged_practices) >= 3
    icb = {stratum: (uneven, difference) for level, _, stratum, uneven, difference, _ in rows if level == "icb"}
    assert all(flagged for level, *_, flagged in rows if level == "icb")
    assert icb["1"][0] and icb["1"][1] > 0.05
    assert icb["5"][0] and icb["5"][1] < -0.05


def test_even_ethnicity_missingness_is_not_flagged(dbt_warehouse, tmp_path_factory):
    """The same missingness (10%) in every quintile: nothing is flagged, at ICB level or in any practice, in any
    year."""
    folder = _uneven_extract(tmp_path_factory.mktemp("even"), [0.10] * 5, seed=31)
    warehouse = dbt_warehouse(folder)
    rows = _query(warehouse, """
        select period_end, stratum, missing_share
        from marts.fct_dq_uneven_missingness
        where check_name = 'ethnicity_not_recorded_by_imd_quintile'
            and ((geography_level = 'icb' and is_uneven) or is_practice_flagged)
    """)
    assert rows == []
    shares = _query(warehouse, """
        select sum(missing) * 1.0 / sum(denominator) from marts.fct_dq_uneven_missingness
        where check_name = 'ethnicity_not_recorded_by_imd_quintile' and geography_level = 'icb'
          and period_end = date '2026-03-31'
    """)
    assert shares[0][0] == pytest.approx(0.10, abs=0.015)


def test_practice_list_size_and_deprivation(dbt_warehouse, clean_extract):
    """dim_practice: list size equals truth; the weighted IMD score is the mean over its registered patients'
    LSOAs (recomputed here from marts.dim_patient and dim_lsoa); quintiles among practices run 1 (most deprived)
    to 5."""
    warehouse = dbt_warehouse(clean_extract)
    truth = json.loads((clean_extract / "ground_truth.json").read_text())
    rows = _query(warehouse, """
        select
            practices.practice_code, practices.registered_patients, practices.imd_score_weighted,
            avg(lsoas.imd_score), practices.pcn_code, practices.borough_code
        from marts.dim_practice as practices
        left join marts.dim_patient as patients
            on practices.practice_code = patients.practice_code
        left join marts.dim_lsoa as lsoas on patients.lsoa_code = lsoas.lsoa_code
        group by all
    """)
    expected = {p["practice_code"]: (p["registered_at_year_end"]["2026-03-31"], p["pcn_code"], p["borough_code"])
                for p in truth["practices"]}
    assert {code: (n, pcn, borough) for code, n, _, _, pcn, borough in rows} == expected
    for _, _, weighted, recomputed, _, _ in rows:
        assert weighted == pytest.approx(recomputed, rel=1e-6)
