"""The project's conventions, checked from dbt's manifest (run `dbt parse` first; `make check` does).

    python -m equity_qi.conventions [--manifest target/manifest.json] [--catalog target/catalog.json]
        [--glossary docs/glossary.md]

Fails (exit 1, one line per finding) on:
  layer       a model reading a later layer (staging -> intermediate/marts, intermediate -> marts, marts ->
              published), or a source read outside staging. Layers are models/<layer>/; seeds (reference data) may be
              read anywhere, a layer may read itself, and marts may read staging directly (jaffle-shop style);
  description a model, a documented column or a project macro without a description;
  columns     (with --catalog) a column of a built model that its yml does not document;
  key         a model with neither a `unique` / `unique_combination_of_columns` test nor a primary_key constraint;
  contract    a model in marts/ or published/ without an enforced contract;
  concept     a mart or published column named with a synonym the glossary lists for another name;
  publish     a published model without meta grain, owner, sensitivity and suppression, or a column named like a
              person count (equity_qi.disclosure_audit.PERSON_COUNT; *_practices are practices) without meta
              person_count: true, or with it but not named like one.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from equity_qi.disclosure_audit import PERSON_COUNT

PROJECT = "equity_qi"
LAYERS = {"staging": 0, "intermediate": 1, "marts": 2, "published": 3}
KEY_TESTS = {"unique", "unique_combination_of_columns"}
PUBLIC_LAYERS = {"marts", "published"}
PUBLISHED_META = ("grain", "owner", "sensitivity", "suppression")


@dataclass(frozen=True)
class Finding:
    check: str
    node: str
    message: str

    def __str__(self) -> str:
        return f"{self.check:<11} {self.node}: {self.message}"


def layer_of(node: dict) -> str | None:
    parts = Path(node["original_file_path"]).parts
    return parts[1] if len(parts) > 2 and parts[0] == "models" and parts[1] in LAYERS else None


def project_models(manifest: dict) -> dict[str, dict]:
    return {uid: n for uid, n in manifest["nodes"].items()
            if n["resource_type"] == "model" and n["package_name"] == PROJECT and layer_of(n)}


def check_layers(manifest: dict, models: dict[str, dict]) -> Iterable[Finding]:
    for _uid, node in models.items():
        layer = layer_of(node)
        for parent in node["depends_on"]["nodes"]:
            kind = parent.split(".")[0]
            if kind == "source" and layer != "staging":
                yield Finding("layer", node["name"], f"{layer} model reads source {parent.split('.', 2)[2]}")
            if kind == "model" and parent in models:
                parent_layer = layer_of(models[parent])
                if LAYERS[parent_layer] > LAYERS[layer]:
                    yield Finding("layer", node["name"],
                                  f"{layer} model reads {parent_layer} model {models[parent]['name']}")


def check_descriptions(manifest: dict, models: dict[str, dict]) -> Iterable[Finding]:
    for node in models.values():
        if not node["description"].strip():
            yield Finding("description", node["name"], "model has no description")
        for column, spec in node["columns"].items():
            if not (spec.get("description") or "").strip():
                yield Finding("description", node["name"], f"column {column} has no description")
    for macro in manifest["macros"].values():
        if macro["package_name"] == PROJECT and not macro["description"].strip():
            yield Finding("description", macro["name"], f"macro ({macro['original_file_path']}) has no description")


def check_catalog_columns(catalog: dict, models: dict[str, dict]) -> Iterable[Finding]:
    for uid, node in models.items():
        built = catalog["nodes"].get(uid)
        if built is None:
            continue
        documented = {c.lower() for c in node["columns"]}
        for column in built["columns"]:
            if column.lower() not in documented:
                yield Finding("columns", node["name"], f"column {column} is not documented in its yml")


def check_keys(manifest: dict, models: dict[str, dict]) -> Iterable[Finding]:
    keyed = set()
    for node in manifest["nodes"].values():
        if (node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") in KEY_TESTS
                and node.get("attached_node")):
            keyed.add(node["attached_node"])
    for uid, node in models.items():
        constraints = list(node.get("constraints") or [])
        for spec in node["columns"].values():
            constraints += spec.get("constraints") or []
        if uid not in keyed and not any(c.get("type") == "primary_key" for c in constraints):
            yield Finding("key", node["name"], "no unique test on its grain and no primary_key constraint")


def check_contracts(models: dict[str, dict]) -> Iterable[Finding]:
    for node in models.values():
        if layer_of(node) in PUBLIC_LAYERS and not node["config"].get("contract", {}).get("enforced"):
            yield Finding("contract", node["name"], f"{layer_of(node)} model without an enforced contract")


def is_person_count_name(column: str) -> bool:
    return bool(PERSON_COUNT.match(column)) and not column.endswith("_practices")


def check_published(models: dict[str, dict]) -> Iterable[Finding]:
    for node in models.values():
        if layer_of(node) != "published":
            continue
        meta = node["config"].get("meta") or node.get("meta") or {}
        missing = [key for key in PUBLISHED_META if key not in meta]
        if missing:
            yield Finding("publish", node["name"], f"meta without {', '.join(missing)}")
        for name, column in node["columns"].items():
            marked = bool({**column.get("meta", {}), **column.get("config", {}).get("meta", {})}.get("person_count"))
            if is_person_count_name(name) != marked:
                problem = "not marked meta person_count" if not marked else "marked person_count but not named like one"
                yield Finding("publish", node["name"], f"column {name} {problem}")


def glossary_synonyms(glossary: Path) -> dict[str, str]:
    """{synonym: canonical column} from the glossary's table rows: | `name` | meaning | `synonym`, ... |."""
    synonyms: dict[str, str] = {}
    for line in glossary.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) >= 3 and cells[0].startswith("`"):
            canonical = cells[0].strip("`")
            for synonym in re.findall(r"`([a-z0-9_]+)`", cells[-1]):
                synonyms[synonym] = canonical
    return synonyms


def check_concepts(models: dict[str, dict], synonyms: dict[str, str],
                   catalog: dict | None) -> Iterable[Finding]:
    for uid, node in models.items():
        if layer_of(node) not in PUBLIC_LAYERS:
            continue
        columns = set(node["columns"])
        if catalog and uid in catalog["nodes"]:
            columns |= {c.lower() for c in catalog["nodes"][uid]["columns"]}
        for column in sorted(columns):
            if column in synonyms:
                yield Finding("concept", node["name"], f"column {column} should be named {synonyms[column]}")


def findings(manifest: dict, catalog: dict | None, synonyms: dict[str, str]) -> list[Finding]:
    models = project_models(manifest)
    found = [*check_layers(manifest, models), *check_descriptions(manifest, models), *check_keys(manifest, models),
             *check_contracts(models), *check_concepts(models, synonyms, catalog), *check_published(models)]
    if catalog:
        found += list(check_catalog_columns(catalog, models))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", type=Path, default=Path("target/manifest.json"))
    parser.add_argument("--catalog", type=Path, default=None)
    parser.add_argument("--glossary", type=Path, default=Path("docs/glossary.md"))
    args = parser.parse_args(argv)
    if not args.manifest.exists():
        print(f"error: {args.manifest} not found (run `dbt parse` first)", file=sys.stderr)
        return 2
    manifest = json.loads(args.manifest.read_text())
    catalog = json.loads(args.catalog.read_text()) if args.catalog and args.catalog.exists() else None
    found = findings(manifest, catalog, glossary_synonyms(args.glossary))
    for finding in found:
        print(finding)
    n_models = len(project_models(manifest))
    print(f"conventions: {len(found)} finding(s) over {n_models} models and "
          f"{sum(m['package_name'] == PROJECT for m in manifest['macros'].values())} macros")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
