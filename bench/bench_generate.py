"""Benchmark the extract generator (and optionally `dbt build`) at three scales.

Each run happens in a fresh child process so its peak memory is its own. Results are appended to
bench/results/generate.jsonl and summarised in bench/results/generate.md.

    python bench/bench_generate.py                 # small, demo and NEL scale, Parquet
    python bench/bench_generate.py --scales small --format csv --dbt
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "bench" / "work"
SCALES = {
    "small": {"patients": 20_000, "practices": 6},
    "demo": {"patients": 200_000, "practices": 40},
    "nel": {"patients": 2_200_000, "practices": 285},
}
CHILD = """
import json, resource, sys, time
from pathlib import Path
from equity_qi.generator.engine import Options, generate
began = time.perf_counter()
manifest = generate(Options(out=Path(sys.argv[1]), patients=int(sys.argv[2]), practices=int(sys.argv[3]),
                            fmt=sys.argv[4], seed=1, overwrite=True))
print(json.dumps({"seconds": time.perf_counter() - began,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": {t: e["rows"] for t, e in manifest["tables"].items()}}))
"""


def run_generate(scale: str, fmt: str) -> dict:
    spec = SCALES[scale]
    out = WORK / f"{scale}_{fmt}"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(out), str(spec["patients"]), str(spec["practices"]), fmt],
        check=True, capture_output=True, text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["bytes"] = {p.name: p.stat().st_size for p in sorted(out.iterdir())}
    result["total_mb"] = round(sum(result["bytes"].values()) / 1e6, 1)
    result["extract"] = str(out)
    return result


def run_dbt(extract: str, scale: str) -> dict:
    """`dbt build` on one extract in a child process: wall time, the child's peak RSS (dbt and DuckDB share the
    process), the warehouse size, and the summed model / test execution time per area from run_results.json."""
    database = WORK / f"{scale}.duckdb"
    target = WORK / f"{scale}_target"
    env = {**os.environ, "EQUITY_QI_EXTRACT_DIR": extract, "EQUITY_QI_DUCKDB": str(database),
           "DBT_PROFILES_DIR": str(ROOT / "profiles"), "DBT_TARGET_PATH": str(target), "DO_NOT_TRACK": "1"}
    database.unlink(missing_ok=True)
    dbt = Path(sys.executable).with_name("dbt")
    began = time.perf_counter()
    child = subprocess.Popen([str(dbt), "build", "--quiet"], cwd=ROOT, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = round(time.perf_counter() - began, 1)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"dbt build failed on {extract} (exit {os.waitstatus_to_exitcode(status)})")
    write_qi_verdicts(database, scale)
    return {"dbt_build_seconds": seconds, "dbt_peak_rss_mb": round(usage.ru_maxrss / 1024),
            "warehouse_mb": round(database.stat().st_size / 1e6, 1),
            "dbt_area_seconds": area_seconds(target)}


def write_qi_verdicts(database: Path, scale: str) -> None:
    """bench/results/qi_verdicts_<scale>.md: the planted QI projects' effects and verdicts from the warehouse."""
    import duckdb  # the warehouse's own engine; imported here so the generator-only benchmark does not need it

    from equity_qi.generator.config import load_config

    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute("""
            select impact.project_id, impact.indicator_id,
                impact.n_intervention_practices || ' + ' || impact.n_comparison_practices, impact.n_paired_patients,
                case when indicator.value_type = 'mean' then 2 else 3 end,
                impact.level_effect, impact.level_effect_ci_lower, impact.level_effect_ci_upper,
                impact.gap_effect, impact.gap_effect_ci_lower, impact.gap_effect_ci_upper,
                impact.sii_effect, impact.sii_effect_ci_lower, impact.sii_effect_ci_upper, impact.sii_effect_mde,
                impact.inference_method, impact.verdict
            from marts.fct_qi_equity_impact as impact
            inner join marts.dim_indicator as indicator on impact.indicator_id = indicator.indicator_id
            order by impact.project_id
        """).fetchall()

    def fmt(d: int, est: float | None, lo: float | None, hi: float | None) -> str:
        return "n/a" if est is None else f"{est:+.{d}f} [{lo:+.{d}f}, {hi:+.{d}f}]"

    planted = {p["project_id"]: p for p in load_config()["qi_projects"]}
    bp, cs, dm = planted["QI-BP-01"], planted["QI-CS-01"], planted["QI-DM-01"]
    params = SCALES[scale]
    lines = [
        f"# QI verdicts at {scale} scale (generator seed 1, {params['patients']:,} patients, "
        f"{params['practices']} practices, default config; {dt.date.today()})",
        "",
        "Planted truth (src/equity_qi/generator/default_config.yaml): "
        f"QI-BP-01 widens (BP control {bp['effect_by_quintile']} per reading by quintile); "
        f"QI-CS-01 narrows (Core20 attendance {cs['effect_core20']:+}, others {cs['effect_other']:+}, and outreach "
        f"to overdue Core20 women, {cs['outreach_screened_share']:.0%} screened); "
        f"QI-DM-01 is the paediatric-audit shape ({dm['overall_effect']} mmol/mol overall, least minus most deprived "
        f"{dm['q5_minus_q1']}). Effects are differences in differences against the comparison practices with 95% "
        "intervals (practice-level where inference is 'placebo'); gap > 0 = the most deprived worse off; SII MDE = "
        "the smallest SII effect detectable with 80% power.",
        "",
        "| project | indicator | practices | paired patients | level effect | gap effect | SII effect | SII MDE "
        "| inference | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for project, indicator, practices, paired, d, *values, mde, inference, verdict in rows:
        level, gap, sii = (fmt(d, *values[i : i + 3]) for i in (0, 3, 6))
        mde_text = "n/a" if mde is None else f"{mde:.{d}f}"
        row = [project, indicator, practices, f"{paired or 0:,}", level, gap, sii, mde_text, inference, verdict]
        lines.append("| " + " | ".join(row) + " |")
    (RESULTS / f"qi_verdicts_{scale}.md").write_text("\n".join(lines) + "\n")


def area_seconds(target: Path) -> dict[str, float]:
    """Execution seconds summed per area: a model's folder under models/ (staging/discovery,
    intermediate/indicators, marts/indicators...), seeds, and one bucket for all data and unit tests. Threads
    overlap, so the areas add up to more than the wall time."""
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    areas: dict[str, float] = {}
    for result in json.loads((target / "run_results.json").read_text())["results"]:
        node = nodes.get(result["unique_id"], {})
        if node.get("resource_type") == "model":
            area = "/".join(Path(node["original_file_path"]).parts[1:3])
        elif node.get("resource_type") in ("test", "unit_test") or result["unique_id"].startswith("unit_test."):
            area = "tests"
        else:
            area = node.get("resource_type", "other") + "s"
        areas[area] = round(areas.get(area, 0.0) + result["execution_time"], 1)
    return dict(sorted(areas.items(), key=lambda kv: -kv[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", nargs="+", default=list(SCALES), choices=list(SCALES))
    parser.add_argument("--format", default="parquet", choices=("csv", "parquet"))
    parser.add_argument("--dbt", action="store_true", help="also time `dbt build` on each extract")
    parser.add_argument("--keep", action="store_true", help="keep the generated extracts in bench/work")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    for scale in args.scales:
        result = {"scale": scale, **SCALES[scale], "format": args.format,
                  "date": dt.datetime.now().isoformat(timespec="seconds"),
                  "machine": f"{platform.machine()}, {os.cpu_count()} cores", **run_generate(scale, args.format)}
        if args.dbt:
            result.update(run_dbt(result["extract"], scale))
        if not args.keep:
            shutil.rmtree(result["extract"], ignore_errors=True)
        with (RESULTS / "generate.jsonl").open("a") as handle:
            handle.write(json.dumps(result, sort_keys=True) + "\n")
        print(f"{scale}: {result['seconds']:.1f} s, peak {result['peak_rss_mb']:.0f} MB, "
              f"{result['rows']['observation']:,} observations, {result['total_mb']} MB", flush=True)
    write_summary()


def write_summary() -> None:
    rows = [json.loads(line) for line in (RESULTS / "generate.jsonl").read_text().splitlines() if line.strip()]
    latest = {}
    for row in rows:
        latest[(row["scale"], row["format"])] = row
    lines = [
        "# Generator benchmark (latest run per scale and format)",
        "",
        "| scale | patients | practices | format | seconds | peak RSS MB | observation rows | all rows | MB on disk "
        "| dbt build s | dbt peak RSS MB | warehouse MB | date | machine |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (scale, fmt), r in sorted(latest.items(), key=lambda kv: kv[1]["patients"]):
        lines.append(
            f"| {scale} | {r['patients']:,} | {r['practices']} | {fmt} | {r['seconds']:.1f} | {r['peak_rss_mb']:.0f} "
            f"| {r['rows']['observation']:,} | {sum(r['rows'].values()):,} | {r['total_mb']} "
            f"| {r.get('dbt_build_seconds', '')} | {r.get('dbt_peak_rss_mb', '')} | {r.get('warehouse_mb', '')} "
            f"| {r['date']} | {r['machine']} |"
        )
    timed = [r for r in latest.values() if r.get("dbt_area_seconds")]
    if timed:
        lines += ["", "## dbt build: execution seconds per area (latest run per scale; threads overlap)", ""]
        areas = sorted({a for r in timed for a in r["dbt_area_seconds"]},
                       key=lambda a: -max(r["dbt_area_seconds"].get(a, 0) for r in timed))
        lines += ["| area | " + " | ".join(f"{r['scale']} ({r['format']})" for r in timed) + " |",
                  "|---|" + "---|" * len(timed)]
        lines += [f"| {a} | " + " | ".join(str(r["dbt_area_seconds"].get(a, "")) for r in timed) + " |"
                  for a in areas]
    (RESULTS / "generate.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
