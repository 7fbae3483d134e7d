"""Coverage of planted QI effects (issue 14 item 7): in a drifting world where projects have real effects, how often
do the 95% intervals hold the planted effect, and is any verdict wrong?

    python bench/bench_qi_coverage.py --seeds 1 2 3 4 5 6 7 8 [--projects 6]

For each seed: generate the default world (practice drift included; 300,000 patients in 60 practices) whose QI
projects are `--projects` diabetes projects of 4 + 4 practices, each with its own planted effect on HbA1c (overall
change and least-minus-most-deprived difference drawn from a grid of clear effects, both signs), build it with
`dbt build`, and compare each project's estimates with what was planted. The planted effect on the mart's scale:
every HbA1c reading from the start is shifted by the project's effect for the patient's IMD quintile, and the
follow-up window lies wholly after the start, so the true within-patient change is the quintile's shift: the level
effect is the shifts averaged over the intervention patients' quintiles, the end-quintile gap effect is
-(q5_minus_q1) (oriented: positive = the most deprived worse off), and the SII effect is the PHE SII of the shifts
with the intervention patients' quintile shares as weights. Diabetes is used because its planted effect is exactly
a shift of the measured values (a change in a probability per reading, as for BP control, reaches a QOF rate diluted
by patients without a reading). Reports per component the share covered (Wilson 95% interval; target >= 90%) and
the share of verdict components that read the planted direction or 'not clear' (target 100%). Writes
bench/results/qi_coverage_<seeds>.md and exits 1 when a clear reading is wrong.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import duckdb
import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import ROOT, WORK  # noqa: E402
from bench_qi_calibration import wilson  # noqa: E402
from bench_qi_verdicts import build  # noqa: E402
from equity_qi.generator.engine import Options, generate  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PATIENTS, PRACTICES = 300_000, 60
# clear effects of both signs (mmol/mol): the equivalence margin is 1, so none of these is 'unchanged'
OVERALL_EFFECTS = (-4.0, -2.6, 2.0, 3.0)
Q5_MINUS_Q1 = (-5.7, -4.0, 4.0, 5.7)


def coverage_config(path: Path, n_projects: int, seed: int) -> tuple[Path, dict[str, dict]]:
    """The default world with n diabetes projects of 4 + 4 practices, each with a drawn planted effect."""
    rng = np.random.default_rng(seed)
    projects = []
    for k in range(n_projects):
        start = dt.date(int(rng.integers(2021, 2024)), 4, 1)
        projects.append({
            "project_id": f"QI-DM-{k + 1:02d}", "title": "diabetes", "indicator": "DM_MEAN_HBA1C",
            "clinical_area": "diabetes", "n_practices": 4, "n_comparison": 4, "start": str(start),
            "end": str(start.replace(year=start.year + 2) - dt.timedelta(days=1)),
            "overall_effect": float(rng.choice(OVERALL_EFFECTS)), "q5_minus_q1": float(rng.choice(Q5_MINUS_Q1)),
        })
    path.write_text(yaml.safe_dump({"qi_max_practice_share": 0.1, "qi_projects": projects}, sort_keys=False))
    return path, {p["project_id"]: p for p in projects}


def phe_sii(values: np.ndarray, population: np.ndarray) -> float:
    """PHE's slope index of inequality (value type 0) of quintile values, most deprived first: the weighted
    regression of the values on the quintiles' cumulative-rank midpoints, weights = population shares."""
    share = population / population.sum()
    x = np.cumsum(share) - share / 2
    x_bar, y_bar = (share * x).sum(), (share * values).sum()
    return float((share * (x - x_bar) * (values - y_bar)).sum() / (share * (x - x_bar) ** 2).sum())


def intervention_quintiles(con: duckdb.DuckDBPyConnection, project_id: str) -> list[tuple[float, float]]:
    """The intervention patients' within-patient change by IMD quintile 1..5: (estimate, population) each."""
    return con.execute("""
        select estimate, population from intermediate.int_qi__project_subgroups
        where evaluation_id = ? and role = 'intervention' and quantity = 'change' and subgroup_order between 1 and 5
        order by subgroup_order
    """, [project_id]).fetchall()  # fmt: skip


def planted_effects(quintiles: list[tuple[float, float]], project: dict) -> dict[str, float] | None:
    """The planted level, gap and SII effects on the mart's scale, from the intervention patients' quintiles."""
    if len(quintiles) != 5:
        return None
    population = np.array([float(q[1]) for q in quintiles])
    shifts = np.array(project["effect_by_quintile"])
    return {
        "level": float((population * shifts).sum() / population.sum()),
        "gap": -project["q5_minus_q1"],
        "sii": phe_sii(shifts, population),
    }


def sii_formula_error(con: duckdb.DuckDBPyConnection, project_id: str, quintiles: list[tuple[float, float]]) -> float:
    """|phe_sii - the warehouse's| on the intervention's own change estimates (the formula is the warehouse's)."""
    (sii,) = con.execute("""
        select sii_change from intermediate.int_qi__project_role_estimates
        where evaluation_id = ? and role = 'intervention'
    """, [project_id]).fetchone()  # fmt: skip
    if sii is None or len(quintiles) != 5:
        return 0.0
    ours = phe_sii(np.array([q[0] for q in quintiles]), np.array([float(q[1]) for q in quintiles]))
    return abs(ours - sii)


def right(judgement: str | None, planted: float, positive: str, negative: str) -> bool:
    """A reading is right when it is the planted direction or 'not clear' (lower HbA1c is better)."""
    return judgement in ("not clear", None) or judgement == (positive if planted < 0 else negative)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5, 6, 7, 8])
    parser.add_argument("--projects", type=int, default=6)
    args = parser.parse_args()
    covered = {m: [0, 0] for m in ("level", "gap", "sii")}
    readings = {"level": [0, 0], "gap": [0, 0]}
    clear = {"level": 0, "gap": 0}
    worst_sii_check = 0.0
    lines_rows = []
    WORK.mkdir(parents=True, exist_ok=True)
    for seed in args.seeds:
        folder = WORK / f"qi_coverage_seed{seed}"
        config, specs = coverage_config(folder.with_suffix(".yaml"), args.projects, seed)
        generate(Options(out=folder, patients=PATIENTS, practices=PRACTICES, seed=seed, fmt="parquet", config=config,
                         overwrite=True))
        truth = {p["project_id"]: p for p in json.loads((folder / "ground_truth.json").read_text())["qi_projects"]}
        database = WORK / f"qi_coverage_seed{seed}.duckdb"
        build(folder, database)
        with duckdb.connect(str(database), read_only=True) as con:
            for project_id in sorted(specs):
                project = truth[project_id]
                if not project.get("planted"):
                    continue
                quintiles = intervention_quintiles(con, project_id)
                planted = planted_effects(quintiles, project)
                row = con.execute("""
                    select level_effect, level_effect_ci_lower, level_effect_ci_upper, gap_effect,
                        gap_effect_ci_lower, gap_effect_ci_upper, sii_effect, sii_effect_ci_lower,
                        sii_effect_ci_upper, level_judgement, gap_judgement, verdict
                    from marts.fct_qi_equity_impact where project_id = ?
                """, [project_id]).fetchone()  # fmt: skip
                if planted is None or row is None or row[0] is None:
                    continue
                worst_sii_check = max(worst_sii_check, sii_formula_error(con, project_id, quintiles))
                cells = []
                for i, measure in enumerate(("level", "gap", "sii")):
                    estimate, lower, upper = row[3 * i: 3 * i + 3]
                    if estimate is None:
                        cells.append("n/a")
                        continue
                    inside = lower <= planted[measure] <= upper
                    covered[measure][0] += inside
                    covered[measure][1] += 1
                    cells.append(f"{planted[measure]:+.2f} in [{lower:+.2f}, {upper:+.2f}]"
                                 + ("" if inside else " **no**"))
                level_judgement, gap_judgement, verdict = row[9:]
                # the gap reading is judged on the SII; SII > 0 = the least deprived better off, so a lower-is-
                # better SII falling (planted sii < 0) widens the gap
                level_ok = right(level_judgement, planted["level"], "improved", "worsened")
                gap_ok = right(gap_judgement, planted["sii"], "widened", "narrowed")
                for name, ok, judgement in (("level", level_ok, level_judgement), ("gap", gap_ok, gap_judgement)):
                    readings[name][0] += ok
                    readings[name][1] += 1
                    clear[name] += judgement not in ("not clear", None)
                lines_rows.append(f"| {seed} | {project_id} | {project['overall_effect']:+.1f} / "
                                  f"{project['q5_minus_q1']:+.1f} | {' | '.join(cells)} | {verdict} | "
                                  f"{'yes' if level_ok and gap_ok else '**no**'} |")
        print(f"seed {seed}: done", flush=True)
    lines = [
        f"# Coverage of planted QI effects (seeds {', '.join(map(str, args.seeds))}; {PATIENTS:,} patients in "
        f"{PRACTICES} practices; {args.projects} diabetes projects of 4 + 4 practices per seed; {dt.date.today()})",
        "",
        "`python bench/bench_qi_coverage.py`: the default drifting world with diabetes projects whose planted HbA1c "
        "effects are drawn from a grid of clear effects (overall / least-minus-most-deprived, mmol/mol). Planted "
        "effects on the mart's scale: level = the quintile shifts averaged over the intervention patients, gap = "
        "-(q5 - q1), SII = PHE's SII of the shifts (the same formula reproduces the warehouse's SII of a role's "
        f"changes to {worst_sii_check:.1e}). Target: coverage >= 90 %, every clear reading in the planted direction.",
        "",
        "| component | covered | effects | share | 95% interval |",
        "|---|---|---|---|---|",
    ]
    for measure, (inside, total) in covered.items():
        lower, upper = wilson(inside, total) if total else (float("nan"), float("nan"))
        lines.append(f"| {measure} | {inside} | {total} | {inside / max(total, 1):.3f} | [{lower:.3f}, {upper:.3f}] |")
    lines += ["", "| reading | planted direction or not clear | projects | clear |", "|---|---|---|---|"]
    for name, (ok, total) in readings.items():
        lines.append(f"| {name} | {ok} | {total} | {clear[name]} |")
    lines += [
        "",
        "| seed | project | planted overall / q5 - q1 | level: planted in 95% interval | gap | SII | verdict | right |",
        "|---|---|---|---|---|---|---|---|",
        *lines_rows,
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"qi_coverage_seeds_{args.seeds[0]}-{args.seeds[-1]}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.exit(0 if all(ok == total for ok, total in readings.values()) else 1)


if __name__ == "__main__":
    main()
