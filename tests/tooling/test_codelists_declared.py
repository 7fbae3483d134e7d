"""int_clinical__coded_events matches only the codelists an indicator declares (seed ref_indicators, codelist_ids):
a codelist the SQL reads but no indicator declares would silently have no events. Every codelist id of seed
ref_codelists named as a quoted literal in the project's SQL (models and macros) must be declared."""

from __future__ import annotations

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _codelist_ids() -> set[str]:
    with open(ROOT / "seeds" / "codelists" / "ref_codelists.csv", newline="") as f:
        return {row["codelist_id"] for row in csv.DictReader(f)}


def _declared() -> set[str]:
    with open(ROOT / "seeds" / "indicators" / "ref_indicators.csv", newline="") as f:
        return {cid for row in csv.DictReader(f) for cid in row["codelist_ids"].split(";") if cid}


def _named_in_sql(codelist_ids: set[str]) -> dict[str, list[str]]:
    named: dict[str, list[str]] = {}
    for path in sorted([*ROOT.glob("models/**/*.sql"), *ROOT.glob("macros/**/*.sql")]):
        for literal in re.findall(r"'([a-z0-9_]+)'", path.read_text()):
            if literal in codelist_ids:
                named.setdefault(literal, []).append(str(path.relative_to(ROOT)))
    return named


def test_every_codelist_the_sql_names_is_declared_by_an_indicator() -> None:
    named = _named_in_sql(_codelist_ids())
    undeclared = {cid: files for cid, files in named.items() if cid not in _declared()}
    assert undeclared == {}
    # the check sees the literals it is meant to see (readings, registers, exclusions, immunisations)
    assert {"sbp_qof", "ifcchbam_cod", "hyp_cod", "dmres_cod", "nel_childhood_imms_mmr_1"} <= set(named)


def test_every_declared_codelist_exists() -> None:
    assert _declared() - _codelist_ids() == set()
