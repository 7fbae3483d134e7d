"""The headline table `make demo` prints: registered list sizes from the warehouse's public mart."""

from __future__ import annotations

from pathlib import Path

import duckdb

QUERY = """
    select practice_ods_code, practice_name, registered_patients, as_of_date
    from main.fct_practice_list_size
    order by registered_patients desc, practice_ods_code
"""


def headline(warehouse: Path, show: int = 10) -> str:
    if not warehouse.is_file():
        raise FileNotFoundError(f"warehouse not found: {warehouse} (run `make build` first)")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(QUERY).fetchall()
    if not rows:
        return f"warehouse: {warehouse}\nno practices in fct_practice_list_size"
    total = sum(r[2] for r in rows)
    width = max(len(r[1]) for r in rows[:show])
    lines = [
        f"warehouse: {warehouse}",
        f"registered patients on {rows[0][3]}: {total:,} in {len(rows)} practices "
        f"(mean list {total / len(rows):,.0f})",
        "",
        f"{'practice':<8}  {'name':<{width}}  {'registered':>10}",
    ]
    lines += [f"{code:<8}  {name:<{width}}  {n:>10,}" for code, name, n, _ in rows[:show]]
    if len(rows) > show:
        lines.append(f"... and {len(rows) - show} more practices (main.fct_practice_list_size)")
    return "\n".join(lines)
