"""The conventions check (src/equity_qi/conventions.py) on hand-made manifests: each rule fires on a violation and
stays quiet on a clean project."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from equity_qi import conventions


def _model(name: str, layer: str, parents: list[str] | None = None, **extra: object) -> dict:
    node = {
        "resource_type": "model", "package_name": "equity_qi", "name": name,
        "original_file_path": f"models/{layer}/area/{name}.sql", "description": f"{name} described",
        "depends_on": {"nodes": parents or []}, "columns": {"id": {"description": "the key"}},
        "config": {"contract": {"enforced": layer == "marts"}}, "constraints": [],
    }
    node.update(extra)
    return node


def _unique_test(model_uid: str) -> dict:
    return {"resource_type": "test", "package_name": "equity_qi", "test_metadata": {"name": "unique"},
            "attached_node": model_uid, "depends_on": {"nodes": [model_uid]}}


@pytest.fixture()
def clean_manifest() -> dict:
    nodes = {
        "model.equity_qi.stg_a": _model("stg_a", "staging", ["source.equity_qi.discovery.a", "seed.equity_qi.ref_x"]),
        "model.equity_qi.int_b": _model("int_b", "intermediate", ["model.equity_qi.stg_a"]),
        "model.equity_qi.fct_c": _model("fct_c", "marts", ["model.equity_qi.int_b", "model.equity_qi.stg_a"]),
    }
    for uid in list(nodes):
        nodes[f"test.equity_qi.unique_{uid}"] = _unique_test(uid)
    macros = {"macro.equity_qi.m": {"name": "m", "package_name": "equity_qi", "description": "does m",
                                    "original_file_path": "macros/m.sql"},
              "macro.dbt.other": {"name": "other", "package_name": "dbt", "description": "",
                                  "original_file_path": "x.sql"}}
    return {"nodes": nodes, "macros": macros}


def _checks(manifest: dict, synonyms: dict[str, str] | None = None, catalog: dict | None = None) -> list[str]:
    return [f"{f.check}:{f.node}" for f in conventions.findings(manifest, catalog, synonyms or {})]


def test_a_clean_project_has_no_findings(clean_manifest: dict) -> None:
    assert _checks(clean_manifest) == []


def test_an_intermediate_model_reading_a_mart_is_a_layer_finding(clean_manifest: dict) -> None:
    clean_manifest["nodes"]["model.equity_qi.int_b"]["depends_on"]["nodes"].append("model.equity_qi.fct_c")
    assert _checks(clean_manifest) == ["layer:int_b"]


def test_a_source_read_outside_staging_is_a_layer_finding(clean_manifest: dict) -> None:
    clean_manifest["nodes"]["model.equity_qi.int_b"]["depends_on"]["nodes"].append("source.equity_qi.discovery.a")
    assert _checks(clean_manifest) == ["layer:int_b"]


@pytest.mark.parametrize("where", ["model", "column", "macro"])
def test_missing_descriptions_are_findings(clean_manifest: dict, where: str) -> None:
    if where == "model":
        clean_manifest["nodes"]["model.equity_qi.int_b"]["description"] = " "
        expected = ["description:int_b"]
    elif where == "column":
        clean_manifest["nodes"]["model.equity_qi.fct_c"]["columns"]["value"] = {"description": ""}
        expected = ["description:fct_c"]
    else:
        clean_manifest["macros"]["macro.equity_qi.m"]["description"] = ""
        expected = ["description:m"]
    assert _checks(clean_manifest) == expected


def test_a_model_without_a_key_test_is_a_finding_unless_it_has_a_primary_key(clean_manifest: dict) -> None:
    del clean_manifest["nodes"]["test.equity_qi.unique_model.equity_qi.int_b"]
    assert _checks(clean_manifest) == ["key:int_b"]
    keyed = copy.deepcopy(clean_manifest)
    keyed["nodes"]["model.equity_qi.int_b"]["constraints"] = [{"type": "primary_key", "columns": ["id"]}]
    assert _checks(keyed) == []


def test_a_mart_without_an_enforced_contract_is_a_finding(clean_manifest: dict) -> None:
    clean_manifest["nodes"]["model.equity_qi.fct_c"]["config"]["contract"]["enforced"] = False
    assert _checks(clean_manifest) == ["contract:fct_c"]


def test_a_mart_column_named_with_a_glossary_synonym_is_a_finding(clean_manifest: dict, tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.md"
    glossary.write_text("| column | concept | not to be called |\n|---|---|---|\n"
                        "| `practice_code` | a practice | `practice_ods_code`, `ods_code` |\n")
    synonyms = conventions.glossary_synonyms(glossary)
    assert synonyms == {"practice_ods_code": "practice_code", "ods_code": "practice_code"}
    clean_manifest["nodes"]["model.equity_qi.fct_c"]["columns"]["practice_ods_code"] = {"description": "x"}
    clean_manifest["nodes"]["model.equity_qi.int_b"]["columns"]["ods_code"] = {"description": "x"}  # not a mart
    assert _checks(clean_manifest, synonyms) == ["concept:fct_c"]


def test_with_a_catalog_an_undocumented_built_column_is_a_finding(clean_manifest: dict) -> None:
    catalog = {"nodes": {"model.equity_qi.int_b": {"columns": {"ID": {}, "extra": {}}}}}
    assert _checks(clean_manifest, catalog=catalog) == ["columns:int_b"]


def test_the_project_glossary_lists_the_renamed_concepts() -> None:
    synonyms = conventions.glossary_synonyms(Path(__file__).resolve().parents[2] / "docs" / "glossary.md")
    assert synonyms["practice_ods_code"] == "practice_code"
    assert synonyms["list_size"] == "registered_patients"
    assert synonyms["imd_2019_quintile"] == "imd_quintile"


def _published_model(columns: dict[str, dict], meta: dict | None = None) -> dict:
    meta = {"grain": "one row per id", "owner": "o", "sensitivity": "s", "suppression": "x"} if meta is None else meta
    node = _model("pub_d", "published", ["model.equity_qi.fct_c"], columns=columns)
    node["config"] = {"contract": {"enforced": True}, "meta": meta}
    return node


@pytest.mark.parametrize(("columns", "meta", "expected"), [
    ({"id": {"description": "k"}, "denominator": {"description": "d", "config": {"meta": {"person_count": True}}},
      "n_practices": {"description": "practices"}}, None, []),
    ({"id": {"description": "k"}, "registered_patients": {"description": "d"}}, None, ["publish:pub_d"]),
    ({"id": {"description": "k"}, "groups_used": {"description": "g", "meta": {"person_count": True}}}, None,
     ["publish:pub_d"]),
    ({"id": {"description": "k"}}, {"grain": "g", "owner": "o"}, ["publish:pub_d"]),
])
def test_published_models_carry_meta_and_mark_their_person_counts(
    clean_manifest: dict, columns: dict, meta: dict | None, expected: list[str]
) -> None:
    clean_manifest["nodes"]["model.equity_qi.pub_d"] = _published_model(columns, meta)
    clean_manifest["nodes"]["test.equity_qi.unique_pub_d"] = _unique_test("model.equity_qi.pub_d")
    assert _checks(clean_manifest) == expected
