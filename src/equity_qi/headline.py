"""The headline `make demo` prints from the warehouse's public marts: registered list sizes, then each QI project's
verdict (did the indicator improve, and did the deprivation gap narrow or widen?)."""

from __future__ import annotations

from pathlib import Path

import duckdb

QUERY = """
    select practice_code, practice_name, registered_patients, as_of_date
    from marts.fct_practice_list_size
    order by registered_patients desc, practice_code
"""


QI_QUERY = """
    select project_id, indicator_id, level_effect, level_effect_ci_lower, level_effect_ci_upper,
        sii_effect, sii_effect_ci_lower, sii_effect_ci_upper, sii_effect_mde, design_agreement, verdict
    from marts.fct_qi_equity_impact
    order by project_id
"""


# design_agreement in a few characters: whether the interrupted time series bears out the difference in differences
DESIGNS = {
    "agree": "agree",
    "disagree": "disagree",
    "agree where the time series is estimable": "agree*",
    "difference in differences only": "DiD only",
}


def _interval(estimate: float | None, lower: float | None, upper: float | None) -> str:
    if estimate is None or lower is None or upper is None:
        return "n/a"
    return f"{estimate:+.3f} [{lower:+.3f}, {upper:+.3f}]"


def qi_verdicts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One line per QI project: the change in level and in the deprivation gap (slope index of inequality) against
    the comparison practices (difference in differences, 95% interval), the smallest SII change the project could
    detect (80% power), whether the second design (interrupted time series) agrees, and the verdict."""
    tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    if "fct_qi_equity_impact" not in tables:
        return []
    rows = con.execute(QI_QUERY).fetchall()
    lines = ["", "QI projects: change against comparison practices (95% interval); SII = least minus most deprived;"
             " MDE = the smallest SII change detectable (80% power); designs = does the time series agree",
             f"{'project':<10}  {'indicator':<14}  {'level':<27}  {'SII':<27}  {'SII MDE':<8}  {'designs':<8}  verdict"]
    lines += [
        f"{r[0]:<10}  {r[1]:<14}  {_interval(*r[2:5]):<27}  {_interval(*r[5:8]):<27}  "
        f"{'n/a' if r[8] is None else f'{r[8]:.3f}':<8}  {DESIGNS.get(r[9], 'n/a'):<8}  {r[10]}"
        for r in rows
    ]
    return lines if rows else []


def headline(warehouse: Path, show: int = 10) -> str:
    if not warehouse.is_file():
        raise FileNotFoundError(f"warehouse not found: {warehouse} (run `make build` first)")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(QUERY).fetchall()
        verdicts = qi_verdicts(con)
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
        lines.append(f"... and {len(rows) - show} more practices (marts.fct_practice_list_size)")
    return "\n".join(lines + verdicts)
