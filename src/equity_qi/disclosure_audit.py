"""Audit the published schema for disclosure, independently of the macros that applied the control.

Every relation of schema `published` is checked for:
- person counts (columns named numerator, denominator, patients, registered_*, *_count, n_*; a mean's numerator is a
  sum of values and is exempt) that are 1 to 7 or not a multiple of 5;
- a rate or interval (value, ci_lower, ci_upper) published beside a withheld (NULL) denominator;
- an additive group with exactly one withheld cell, in relations keyed by geography and breakdown stratum: the
  strata of a breakdown with the overall row, the practices of a PCN (and PCNs of a borough, boroughs of the ICB)
  with their area's row, and the nested breakdowns (IMD deciles and their quintile, quintiles and Core20, the 16
  ethnic categories and their group of 5, quintile x ethnic group cells and their quintile and their group);
- an inequality index published over a withheld stratum of its breakdown (a gap over one withheld stratum and
  published ones gives it away);
- an SPC chart whose segment mean is not the mean of its published points (a withheld point in the limits);
- a direct identifier (equity_qi.identifier_scan).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import duckdb

from equity_qi.identifier_scan import scan

PERSON_COUNT = re.compile(r"^(numerator|denominator|patients|registered_.*|.*_count|n_.*)$")
RATE_COLUMNS = ("value", "ci_lower", "ci_upper")
INDEX = {"indicator_id", "period_end", "geography_level", "geography_code", "dimension", "measure", "estimate"}
CHART = {"indicator_id", "measure", "geography_level", "geography_code", "baseline_segment", "value", "mean_value"}
GROUPED = {"geography_level", "geography_code", "dimension", "stratum", "denominator"}
# Nested breakdowns, derived here from the strata's own labels (independently of macro nested_breakdown_strata):
# (group kind, the finer breakdown, the coarser one, SQL of the coarser stratum from the finer `stratum`).
NESTED = (
    ("decile", "imd_decile", "imd_quintile",
     "case when stratum = 'Unknown' then 'Unknown' else cast((cast(stratum as integer) + 1) // 2 as varchar) end"),
    ("core20", "imd_quintile", "core20",
     "case stratum when '1' then 'Core20' when 'Unknown' then 'Unknown' else 'Not Core20' end"),
    ("ethnic category", "ethnicity_group_16", "ethnicity_group_5",
     "case when stratum like 'White -%' then 'White' when stratum like 'Mixed -%' then 'Mixed'"
     " when stratum like 'Asian or Asian British -%' then 'Asian' when stratum like 'Black or Black British -%'"
     " then 'Black' when stratum like 'Other Ethnic Groups -%' then 'Other' else stratum end"),
    ("quintile of quintile x ethnic group", "imd_quintile_x_ethnicity_group_5", "imd_quintile",
     "split_part(stratum, ' | ', 1)"),
    ("ethnic group of quintile x ethnic group", "imd_quintile_x_ethnicity_group_5", "ethnicity_group_5",
     "split_part(stratum, ' | ', 2)"),
)


def _columns(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for relation, column in con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = ? "
        "order by table_name, ordinal_position", [schema]
    ).fetchall():
        found.setdefault(relation, []).append(column)
    return found


def _practice_areas(con: duckdb.DuckDBPyConnection) -> str:
    """The relation that maps practices to PCN, borough and ICB: published.dim_practice once it exists."""
    published = _columns(con, "published")
    return "published.dim_practice" if "dim_practice" in published else "marts.dim_practice"


def _lone_suppressed(con: duckdb.DuckDBPyConnection, relation: str, keys: list[str]) -> list[str]:
    """Additive groups with exactly one withheld cell (the total counts as a cell of its group)."""
    block = ", ".join(keys)
    areas = _practice_areas(con)
    queries = {
        "breakdown": f"""
            select {block}, geography_level, geography_code, dimension from (
                select r.*, o.denominator is null as total_withheld
                from {relation} r
                join {relation} o using ({block}, geography_level, geography_code)
                where r.dimension != 'overall' and o.dimension = 'overall'
            ) group by all
            having count(*) filter (where denominator is null) + max(case when total_withheld then 1 else 0 end) = 1""",
        "geography": f"""
            with parents as (
                select distinct geography_level, geography_code, parent_level, parent_code from (
                    select 'practice' as geography_level, practice_code as geography_code, 'pcn' as parent_level,
                        pcn_code as parent_code from {areas}
                    union all select 'pcn', pcn_code, 'borough', borough_code from {areas}
                    union all select 'borough', borough_code, 'icb', icb_code from {areas}
                )
            )
            select {', '.join('r.' + key for key in keys)}, p.parent_level, p.parent_code, r.dimension, r.stratum
            from {relation} r join parents p using (geography_level, geography_code)
            join {relation} t on t.geography_level = p.parent_level and t.geography_code = p.parent_code
                and t.dimension = r.dimension and t.stratum = r.stratum
                {''.join(f' and t.{key} = r.{key}' for key in keys)}
            group by all
            having count(*) filter (where r.denominator is null)
                + max(case when t.denominator is null then 1 else 0 end) = 1""",
    }
    for kind, part, parent, parent_stratum in NESTED:
        queries[kind] = f"""
            select {block}, geography_level, geography_code, q.stratum from (
                select *, {parent_stratum} as parent_stratum from {relation} where dimension = '{part}'
            ) d join {relation} q using ({block}, geography_level, geography_code)
            where q.dimension = '{parent}' and q.stratum = d.parent_stratum
            group by all
            having count(*) filter (where d.denominator is null)
                + max(case when q.denominator is null then 1 else 0 end) = 1"""
    found = []
    for kind, sql in queries.items():
        n = len(con.execute(sql).fetchall())
        if n:
            found.append(f"{relation}: {n} {kind} groups with exactly one withheld cell")
    return found


def _index_over_withheld_stratum(con: duckdb.DuckDBPyConnection, relation: str, rates: str) -> list[str]:
    """Indices published although a known stratum of their breakdown is withheld from the rates."""
    n = con.execute(f"""
        select count(*) from {relation} i
        where i.estimate is not null and exists (
            select 1 from {rates} r
            where r.indicator_id = i.indicator_id and r.period_end = i.period_end
                and r.geography_level = i.geography_level and r.geography_code = i.geography_code
                and r.dimension = i.dimension and r.denominator is null
                and r.stratum not in ('Unknown', 'Not recorded', 'Not stated'))""").fetchone()[0]
    return [f"{relation}: {n} estimates over a withheld stratum"] if n else []


def _chart_from_withheld_points(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    """SPC segments whose mean is not the mean of their published points (a withheld point went into the limits)."""
    n = con.execute(f"""
        select count(*) from (
            select value, mean_value, avg(value) over (partition by indicator_id, measure, geography_level,
                geography_code, baseline_segment) as published_mean
            from {relation}
        ) where value is not null and (mean_value is null
            or abs(mean_value - published_mean) > 1e-9 * greatest(1, abs(published_mean)))""").fetchone()[0]
    return [f"{relation}: {n} points whose limits use withheld points"] if n else []


def audit(con: duckdb.DuckDBPyConnection, schema: str = "published") -> list[str]:
    """Every disclosure finding in `schema`, empty when it passes."""
    findings = []
    published = _columns(con, schema)
    for relation, columns in published.items():
        name = f"{schema}.{relation}"
        counts = [c for c in columns if PERSON_COUNT.match(c) and not c.endswith("_practices")]
        for column in counts:
            mean_exempt = " and value_type != 'mean'" if column == "numerator" and "value_type" in columns else ""
            small, unrounded = con.execute(
                f"select count(*) filter (where {column} between 1 and 7), count(*) filter (where {column} % 5 != 0)"
                f" from {name} where {column} is not null{mean_exempt}"
            ).fetchone()
            if small:
                findings.append(f"{name}.{column}: {small} counts from 1 to 7")
            if unrounded:
                findings.append(f"{name}.{column}: {unrounded} counts not a multiple of 5")
        if "denominator" in columns:
            for column in (c for c in RATE_COLUMNS if c in columns):
                beside = con.execute(
                    f"select count(*) from {name} where denominator is null and {column} is not null"
                ).fetchone()[0]
                if beside:
                    findings.append(f"{name}.{column}: {beside} values beside a withheld denominator")
        if set(columns) >= GROUPED:
            keys = [c for c in ("indicator_id", "period_end") if c in columns]
            findings += _lone_suppressed(con, name, keys)
        if set(columns) >= INDEX and "indicator_rates" in published and relation != "indicator_rates":
            findings += _index_over_withheld_stratum(con, name, f"{schema}.indicator_rates")
        if set(columns) >= CHART:
            findings += _chart_from_withheld_points(con, name)
    findings += [f for f in scan(con) if f.startswith(f"{schema}.")]
    return findings


def main(argv: list[str] | None = None) -> int:
    """`equity-qi audit --duckdb WAREHOUSE`: print every finding; exit 1 if there is one."""
    args = sys.argv[1:] if argv is None else argv
    with duckdb.connect(str(Path(args[0])), read_only=True) as con:
        findings = audit(con)
    for finding in findings:
        print(finding)
    print(f"disclosure audit: {len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
