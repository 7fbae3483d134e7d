"""Calibration of the QI verdict in a drifting null world: how often does a project with no effect come out clear?

    python bench/bench_qi_calibration.py [--scale demo] [--seed 1] [--projects 200]

Generates the default world (practice drift included) with every planted QI effect set to zero (no project changes
anything) into bench/work/, replaces its qi_projects.csv with `--projects` placebo projects (each: 4 intervention and
4 comparison practices drawn at random, an indicator among HYP008, CS005 and DM_MEAN_HBA1C, two years from a random
April between 2021 and 2023), runs `dbt build` with var qi_placebo_excludes_treated false (the projects are all
placebos, so none is excluded from another's placebo pool), and reports per component the share of clear results
with its Wilson 95% interval: the verdict's level (improved / worsened) and gap (SII: widened / narrowed), which use
both designs, and each design's own level, SII and end-quintile gap. Each should be at most the nominal 5 %.
Writes bench/results/qi_calibration_<scale>_seed<seed>.md and appends a JSON line to
bench/results/qi_calibration.jsonl.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import ROOT, SCALES, WORK  # noqa: E402
from equity_qi.generator.config import load_config  # noqa: E402
from equity_qi.generator.engine import Options, generate  # noqa: E402

RESULTS = ROOT / "bench" / "results"
INDICATORS = {"HYP008": "hypertension", "CS005": "cervical_screening", "DM_MEAN_HBA1C": "diabetes"}
Z95 = 1.959963984540054


def null_config(path: Path) -> Path:
    """The default config with every planted QI effect set to zero (the projects' practices are still chosen)."""
    projects = []
    for project in load_config()["qi_projects"]:
        project = dict(project)
        if "effect_by_quintile" in project:
            project["effect_by_quintile"] = [0.0] * 5
        for key in ("effect_core20", "effect_other", "outreach_screened_share", "overall_effect", "q5_minus_q1"):
            if key in project:
                project[key] = 0.0
        projects.append(project)
    path.write_text(yaml.safe_dump({"qi_projects": projects}, sort_keys=False))
    return path


def placebo_projects(practice_codes: list[str], n: int, seed: int, per_role: int = 4) -> list[dict[str, str]]:
    """n placebo projects over the given practices, drawn reproducibly."""
    rng = np.random.default_rng(seed)
    indicators = list(INDICATORS)
    rows = []
    for k in range(n):
        chosen = rng.choice(practice_codes, 2 * per_role, replace=False)
        indicator = indicators[k % len(indicators)]
        # from 2021: a baseline window needs the 12 month ends before the start inside the monthly history
        # (var indicator_monthly_history_months: 72 months to 2026-03)
        start = dt.date(int(rng.integers(2021, 2024)), 4, 1)
        rows.append({
            "project_id": f"PLACEBO-{k + 1:03d}", "title": "placebo", "indicator": indicator,
            "clinical_area": INDICATORS[indicator], "practice_codes": "|".join(chosen[:per_role]),
            "comparison_practice_codes": "|".join(chosen[per_role:]), "start_date": str(start),
            "end_date": str(start.replace(year=start.year + 2) - dt.timedelta(days=1)),
        })
    return rows


def null_extract(folder: Path, patients: int, practices: int, seed: int, projects: int) -> Path:
    """Generate the null world and write the placebo projects as its qi_projects.csv."""
    config = null_config(folder.with_suffix(".yaml"))
    generate(Options(out=folder, patients=patients, practices=practices, seed=seed, fmt="parquet", config=config,
                     overwrite=True))
    truth = json.loads((folder / "ground_truth.json").read_text())
    codes = [p["practice_code"] for p in truth["practices"]]
    rows = placebo_projects(codes, projects, seed)
    with (folder / "qi_projects.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def build(extract: Path, database: Path) -> None:
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_PROFILES_DIR": str(ROOT / "profiles"),
           "EQUITY_QI_EXTRACT_DIR": str(extract), "EQUITY_QI_DUCKDB": str(database)}
    database.unlink(missing_ok=True)
    subprocess.run([str(Path(sys.executable).with_name("dbt")), "build", "--quiet", "--target-path",
                    str(WORK / f"{database.stem}_target"), "--vars", "{qi_placebo_excludes_treated: false}"],
                   check=True, cwd=ROOT, env=env)


def wilson(x: int, n: int) -> tuple[float, float]:
    centre, half = (x + Z95**2 / 2) / (n + Z95**2), Z95 * math.sqrt(x * (n - x) / n + Z95**2 / 4) / (n + Z95**2)
    return max(0.0, centre - half), min(1.0, centre + half)


# component -> (SQL of a clear result, SQL of an estimate); the verdict's readings use both designs
COMPONENTS = {
    "level": ("level_judgement in ('improved', 'worsened')", "level_judgement"),
    "sii": ("gap_judgement in ('widened', 'narrowed')", "gap_judgement"),
    "level, difference in differences": ("did_level_judgement in ('improved', 'worsened')", "did_level_judgement"),
    "sii, difference in differences": ("did_gap_judgement in ('widened', 'narrowed')", "did_gap_judgement"),
    "gap, difference in differences": ("gap_effect_ci_lower > 0 or gap_effect_ci_upper < 0", "gap_effect"),
    "level, time series": ("its_level_judgement in ('improved', 'worsened')", "its_level_judgement"),
    "sii, time series": ("its_gap_judgement in ('widened', 'narrowed')", "its_gap_judgement"),
    "gap, time series": ("its_gap_effect_ci_lower > 0 or its_gap_effect_ci_upper < 0", "its_gap_effect"),
    "placebo inference": ("inference_method like 'placebo%'", "project_id"),
    "time series by placebo": ("its_inference_method like 'placebo%'", "project_id"),
}


def clear_shares(database: Path) -> dict[str, tuple[int, int]]:
    """Per component: (clear results, projects with an estimate); and the projects by inference method."""
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            name: con.execute(
                f"select count(*) filter (where {clear}), count({estimate}) from marts.fct_qi_equity_impact"
            ).fetchone()
            for name, (clear, estimate) in COMPONENTS.items()
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--projects", type=int, default=200)
    args = parser.parse_args()
    spec = SCALES[args.scale]
    folder = null_extract(WORK / f"qi_null_{args.scale}_seed{args.seed}", spec["patients"], spec["practices"],
                          args.seed, args.projects)
    database = WORK / f"qi_null_{args.scale}_seed{args.seed}.duckdb"
    build(folder, database)
    shares = clear_shares(database)
    lines = [
        f"# QI verdict calibration in a drifting null world ({args.scale} scale, seed {args.seed}, "
        f"{args.projects} placebo projects of 4 + 4 practices; {dt.date.today()})",
        "",
        "`python bench/bench_qi_calibration.py`: the default world with practice drift and every planted project "
        "effect set to zero. Share of projects each component calls clear (Wilson 95% interval); nominal 5%. "
        "'level' and 'sii' are the verdict's readings (the difference in differences, withdrawn where the time series "
        "contradicts it); the others each design's own; the last two rows count projects by inference method.",
        "",
        "| component | clear | projects | share | 95% interval |",
        "|---|---|---|---|---|",
    ]
    record = {"date": str(dt.date.today()), "scale": args.scale, "seed": args.seed, "projects": args.projects}
    for name, (clear, total) in shares.items():
        lower, upper = wilson(clear, total) if total else (float("nan"), float("nan"))
        share = clear / total if total else float("nan")
        lines.append(f"| {name} | {clear} | {total} | {share:.3f} | [{lower:.3f}, {upper:.3f}] |")
        record[name.replace(", ", "_").replace(" ", "_")] = {"clear": clear, "projects": total}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"qi_calibration_{args.scale}_seed{args.seed}.md").write_text("\n".join(lines) + "\n")
    with (RESULTS / "qi_calibration.jsonl").open("a") as f:
        f.write(json.dumps(record) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
