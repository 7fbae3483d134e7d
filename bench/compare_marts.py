"""Compare every public mart of two warehouses row for row: the numbers-unchanged check of the core rework.

    python bench/compare_marts.py BASELINE.duckdb CANDIDATE.duckdb [--map bench/mart_map.yml]

BASELINE is a warehouse built before a change (for the rework: `make demo` at commit b9c2f3e), CANDIDATE the same
extract built after it. Every relation the baseline has in its marts (listed in the map's `baseline_marts`, or
every table of its mart schema) is looked up in the candidate through the map (renamed relations, schemas and
columns; a mart may become a view). Rows are matched on every non-floating-point column (plus an ordinal among
equal keys), so the comparison is a multiset one: counts and keys must be exact, doubles equal to 1e-12
(absolute, or relative to the larger magnitude above 1). A listed change may widen the tolerance of some columns
(`columns`, `tolerance`) or drop baseline rows (`dropped_rows`, a SQL predicate over the baseline's columns): the
rest must match. Prints one line per mart and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}
TOLERANCE = 1e-12


@dataclass
class MartResult:
    name: str
    baseline_rows: int
    candidate_rows: int
    differing_rows: int
    note: str = ""

    @property
    def equal(self) -> bool:
        return not self.note and self.differing_rows == 0 and self.baseline_rows == self.candidate_rows


def load_map(path: Path | None) -> dict:
    if path is None or not path.exists():
        return {}
    return yaml.safe_load(path.read_text()) or {}


def columns_of(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, relation: str) -> dict[str, str]:
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, relation],
    ).fetchall()
    return {name: dtype for name, dtype in rows}


def baseline_marts(con: duckdb.DuckDBPyConnection, mapping: dict) -> list[str]:
    if mapping.get("baseline_marts"):
        return list(mapping["baseline_marts"])
    schema = mapping.get("baseline_schema", "main")
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_catalog = 'baseline' and table_schema = ? "
        "and (table_name like 'fct\\_%' escape '\\' or table_name like 'dim\\_%' escape '\\') order by 1",
        [schema],
    ).fetchall()]


def change_tolerances(mapping: dict, name: str) -> dict[str, float]:
    """Columns of `name` that a listed deliberate change (mapping `changes`) lets differ by more than TOLERANCE."""
    tolerances: dict[str, float] = {}
    for change in mapping.get("changes") or []:
        if change["relation"] == name:
            for column in change["columns"]:
                tolerances[column] = float(change["tolerance"])
    return tolerances


def dropped_rows(mapping: dict, name: str) -> list[str]:
    """SQL predicates over the baseline's columns: rows of `name` that a listed deliberate change drops."""
    return [
        f"({change['dropped_rows']})"
        for change in mapping.get("changes") or []
        if change["relation"] == name and change.get("dropped_rows")
    ]


def compare_mart(con: duckdb.DuckDBPyConnection, name: str, mapping: dict) -> MartResult:
    spec = (mapping.get("relations") or {}).get(name) or {}
    base_schema = mapping.get("baseline_schema", "main")
    cand_schema = spec.get("schema", mapping.get("candidate_schema", "main"))
    cand_name = spec.get("relation", name)
    renamed: dict[str, str] = {**(mapping.get("columns") or {}), **(spec.get("columns") or {})}
    dropped = set(spec.get("dropped_columns") or [])
    base_cols = columns_of(con, "baseline", base_schema, name)
    cand_cols = columns_of(con, "candidate", cand_schema, cand_name)
    if not cand_cols:
        return MartResult(name, 0, 0, 0, f"missing in candidate as {cand_schema}.{cand_name}")
    pairs = []
    for column, dtype in base_cols.items():
        if column in dropped:
            continue
        target = renamed.get(column, column)
        if target not in cand_cols:
            return MartResult(name, 0, 0, 0, f"column {column} (as {target}) missing in candidate")
        pairs.append((column, target, dtype.upper() in FLOAT_TYPES))
    keys = [(b, c) for b, c, is_float in pairs if not is_float]
    floats = [(b, c) for b, c, is_float in pairs if is_float]
    order = ", ".join(f'"{b}"' for b, _ in floats) or "1"
    cand_order = ", ".join(f'"{c}"' for _, c in floats) or "1"
    base_sel = ", ".join(f'"{b}" as "{b}"' for b, _, _ in pairs)
    cand_sel = ", ".join(f'"{c}" as "{b}"' for b, c, _ in pairs)
    part_b = ", ".join(f'"{b}"' for b, _ in keys) or "1"
    part_c = ", ".join(f'"{c}"' for _, c in keys) or "1"
    join_on = " and ".join([f'b."{b}" is not distinct from c."{b}"' for b, _ in keys] + ["b._ordinal = c._ordinal"])
    # a double differs when exactly one side is NULL, or both are set, not both NaN, and further apart than allowed
    tolerances = change_tolerances(mapping, name)
    float_diff = " or ".join(
        f'((b."{b}" is null) != (c."{b}" is null) or (b."{b}" is not null and c."{b}" is not null '
        f'and not (isnan(b."{b}") and isnan(c."{b}")) '
        f'and not coalesce(abs(b."{b}" - c."{b}") <= {tolerances.get(b, TOLERANCE)} '
        f'* greatest(1, abs(b."{b}"), abs(c."{b}")), false)))'
        for b, _ in floats
    ) or "false"
    sql = f"""
        with b as (
            select {base_sel}, row_number() over (partition by {part_b} order by {order}) as _ordinal
            from baseline."{base_schema}"."{name}"
            where not ({" or ".join(dropped_rows(mapping, name)) or "false"})
        ),
        c as (
            select {cand_sel}, row_number() over (partition by {part_c} order by {cand_order}) as _ordinal
            from candidate."{cand_schema}"."{cand_name}"
        )
        select
            (select count(*) from b),
            (select count(*) from c),
            (select count(*) from b full outer join c on {join_on}
             where b._ordinal is null or c._ordinal is null or ({float_diff}))
    """
    n_base, n_cand, n_diff = con.execute(sql).fetchone()
    return MartResult(name, n_base, n_cand, n_diff)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("baseline", type=Path)
    parser.add_argument("candidate", type=Path)
    parser.add_argument("--map", type=Path, default=Path(__file__).with_name("mart_map.yml"))
    args = parser.parse_args(argv)
    mapping = load_map(args.map)
    con = duckdb.connect()
    con.execute("set threads = 2")
    con.execute(f"attach '{args.baseline}' as baseline (read_only)")
    con.execute(f"attach '{args.candidate}' as candidate (read_only)")
    results = [compare_mart(con, name, mapping) for name in baseline_marts(con, mapping)]
    width = max(len(r.name) for r in results)
    for r in results:
        status = "equal" if r.equal else "DIFFERENT"
        detail = r.note or f"{r.baseline_rows:,} vs {r.candidate_rows:,} rows, {r.differing_rows:,} unmatched"
        print(f"{r.name:<{width}}  {status:<9}  {detail}")
    different = [r.name for r in results if not r.equal]
    print(f"{len(results) - len(different)} of {len(results)} marts equal")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
