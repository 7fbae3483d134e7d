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
    env = {**os.environ, "EQUITY_QI_EXTRACT_DIR": extract, "EQUITY_QI_DUCKDB": str(WORK / f"{scale}.duckdb"),
           "DBT_PROFILES_DIR": str(ROOT / "profiles"), "DO_NOT_TRACK": "1"}
    Path(env["EQUITY_QI_DUCKDB"]).unlink(missing_ok=True)
    dbt = Path(sys.executable).with_name("dbt")
    began = time.perf_counter()
    subprocess.run([str(dbt), "build", "--quiet"], cwd=ROOT, env=env, check=True)
    return {"dbt_build_seconds": round(time.perf_counter() - began, 1)}


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
        "| dbt build s | date | machine |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (scale, fmt), r in sorted(latest.items(), key=lambda kv: kv[1]["patients"]):
        lines.append(
            f"| {scale} | {r['patients']:,} | {r['practices']} | {fmt} | {r['seconds']:.1f} | {r['peak_rss_mb']:.0f} "
            f"| {r['rows']['observation']:,} | {sum(r['rows'].values()):,} | {r['total_mb']} "
            f"| {r.get('dbt_build_seconds', '')} | {r['date']} | {r['machine']} |"
        )
    (RESULTS / "generate.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
