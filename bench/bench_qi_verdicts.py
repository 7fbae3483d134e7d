"""QI verdicts against the planted truth on several generator seeds: is any planted project given a wrong clear
verdict? (issue 14: the verdict must be the planted one or say 'not clear' about part of it).

    python bench/bench_qi_verdicts.py --seeds 1 2 3 [--scale demo]

For each seed: generate the default world (practice drift included) at the scale into bench/work/, run `dbt build`
over it with the extract's own qi_projects.csv, and compare each planted project's verdict with what the default
config plants. Writes bench/results/qi_verdicts_seeds_<scale>.md (one row per seed and project, with whether the
interrupted time series agrees) and the share of the diabetes project's planted effects (the paediatric audit's
-2.6 mmol/mol overall and 5.7 mmol/mol end-quintile gap, the two planted as effects on the mart's own scale) covered
by their 95% intervals, and exits 1 when a verdict is wrong.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import ROOT, SCALES, WORK, extract_for  # noqa: E402
from equity_qi.generator.config import load_config  # noqa: E402

RESULTS = ROOT / "bench" / "results"
# What the default config plants (src/equity_qi/generator/default_config.yaml): BP control gains most for the less
# deprived (widens); Core20 screening reminders and outreach (narrows); the paediatric-audit HbA1c shape (improves,
# the least deprived gaining 5.7 mmol/mol more: widens).
PLANTED = {
    "QI-BP-01": "improved but widened",
    "QI-CS-01": "improved and narrowed",
    "QI-DM-01": "improved but widened",
}
GAP_WORD = {"improved but widened": "widened", "improved and narrowed": "narrowed"}


def consistent(verdict: str, planted: str) -> bool:
    """The planted verdict, or 'not clear' about a part of it: never a wrong clear word."""
    gap = GAP_WORD[planted]
    return verdict in (planted, "improved, gap not clear", f"level not clear, gap {gap}", "not clear")


def build(extract: Path, database: Path) -> None:
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_PROFILES_DIR": str(ROOT / "profiles"),
           "EQUITY_QI_EXTRACT_DIR": str(extract), "EQUITY_QI_DUCKDB": str(database)}
    database.unlink(missing_ok=True)
    target = WORK / f"{database.stem}_target"
    subprocess.run([str(Path(sys.executable).with_name("dbt")), "build", "--target-path", str(target), "--quiet"],
                   check=True, cwd=ROOT, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    args = parser.parse_args()
    lines = [
        f"# QI verdicts against the planted truth, {args.scale} scale, seeds {', '.join(map(str, args.seeds))} "
        f"({dt.date.today()})",
        "",
        "`python bench/bench_qi_verdicts.py`: the default world (practice drift included), each extract's own QI "
        "projects. A verdict is right when it is the planted one or says *not clear* about part of it.",
        "",
        "| seed | project | practices | level effect | SII effect | SII MDE | inference | designs | verdict | planted "
        "| right |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    wrong = 0
    covered = {"level": 0, "gap": 0}
    diabetes = next(p for p in load_config()["qi_projects"] if p["project_id"] == "QI-DM-01")
    for seed in args.seeds:
        extract = extract_for(args.scale, seed, 0)
        database = WORK / f"qi_verdicts_{args.scale}_seed{seed}.duckdb"
        build(extract, database)
        with duckdb.connect(str(database), read_only=True) as con:
            rows = con.execute("""
                select project_id, n_intervention_practices || ' + ' || n_comparison_practices,
                    level_effect, level_effect_ci_lower, level_effect_ci_upper,
                    sii_effect, sii_effect_ci_lower, sii_effect_ci_upper, sii_effect_mde, inference_method,
                    design_agreement, verdict
                from marts.fct_qi_equity_impact order by project_id
            """).fetchall()
            (gap_lower, gap_upper), = con.execute(
                "select gap_effect_ci_lower, gap_effect_ci_upper from marts.fct_qi_equity_impact"
                " where project_id = 'QI-DM-01'"
            ).fetchall()
        for project, practices, *values, mde, inference, designs, verdict in rows:
            planted = PLANTED.get(project)
            if planted is None:
                continue
            ok = consistent(verdict, planted)
            wrong += not ok
            level, sii = (
                "n/a" if values[i] is None else f"{values[i]:+.3f} [{values[i + 1]:+.3f}, {values[i + 2]:+.3f}]"
                for i in (0, 3)
            )
            mde_text = "n/a" if mde is None else f"{mde:.3f}"
            lines.append(f"| {seed} | {project} | {practices} | {level} | {sii} | {mde_text} | {inference} | "
                         f"{designs} | {verdict} | {planted} | {'yes' if ok else '**no**'} |")
            if project == "QI-DM-01":
                covered["level"] += values[1] <= diabetes["overall_effect"] <= values[2]
                # q5 minus q1 change -5.7: the least deprived fell 5.7 more, so the oriented gap (most minus least
                # deprived when lower is better) widened by +5.7
                covered["gap"] += gap_lower <= -diabetes["q5_minus_q1"] <= gap_upper
        print(f"seed {seed}: done", flush=True)
    n = len(args.seeds)
    lines += [
        "",
        f"Wrong clear verdicts: {wrong}.",
        "",
        f"QI-DM-01's planted effects inside their 95% intervals: overall {diabetes['overall_effect']} mmol/mol in "
        f"{covered['level']} of {n} seeds, end-quintile gap widening {-diabetes['q5_minus_q1']} mmol/mol in "
        f"{covered['gap']} of {n}.",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"qi_verdicts_seeds_{args.scale}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
