"""Benchmark one `dbt build` of the warehouse at a named scale, against the scan floor of the same raw files.

    python bench/bench_build.py [--scale demo|small|nel] [--seed S] [--background-codes K]

Generates the extract once per (scale, seed, background codes) into bench/work/ (reused while its manifest matches,
generator version included), then, in a child process, runs `dbt build` with the committed profile (threads 2)
and samples its resident memory (with its children) and the size of DuckDB's temporary directory every 0.2 s. In
the same run it times the scan floor: one DuckDB query over the raw observation file computing the latest value per
patient per codelist at each year end, the least any build must do. Appends one JSON line to
bench/results/build.jsonl and rewrites bench/results/build.md (latest run per scale and background codes). Exit
code 1 if the build fails (the line is still written, with `failed` set).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from equity_qi.generator.engine import GENERATOR_VERSION

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "bench" / "work"
SCALES = {
    "small": {"patients": 20_000, "practices": 6},
    "demo": {"patients": 200_000, "practices": 40},
    "nel": {"patients": 2_200_000, "practices": 285},
}


def extract_for(scale: str, seed: int, background_codes: int) -> Path:
    """The extract of this scale, seed and background codes in bench/work, generated unless already there."""
    spec = SCALES[scale]
    out = WORK / f"{scale}_seed{seed}_bg{background_codes}"
    manifest = out / "manifest.json"
    wanted = {"patients": spec["patients"], "practices": spec["practices"], "seed": seed}
    if manifest.exists():
        written = json.loads(manifest.read_text())
        options = written.get("options", {})
        if (all(options.get(k) == v for k, v in wanted.items())
                and options.get("background_codes", 0) == background_codes
                and written.get("generator_version") == GENERATOR_VERSION):  # an older generator's world is stale
            return out
    command = [str(Path(sys.executable).with_name("equity-qi")), "generate", "--out", str(out), "--patients",
               str(spec["patients"]), "--practices", str(spec["practices"]), "--seed", str(seed), "--format",
               "parquet", "--overwrite"]
    if background_codes:
        command += ["--background-codes", str(background_codes)]
    subprocess.run(command, check=True)
    return out


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, from /proc (Linux)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            with open(f"/proc/{current}/task/{current}/children") as children:
                stack += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024


def directory_mb(path: Path) -> float:
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.path.getsize(os.path.join(folder, name))
    return total / 1e6


class Sampler(threading.Thread):
    """Samples the peak RSS of a process tree and the peak size of a directory until stopped."""

    def __init__(self, pid: int, spill_dir: Path, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.spill_dir, self.interval = pid, spill_dir, interval
        self.peak_rss_mb = self.peak_spill_mb = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak_rss_mb = max(self.peak_rss_mb, tree_rss_mb(self.pid))
            self.peak_spill_mb = max(self.peak_spill_mb, directory_mb(self.spill_dir))
            self.stopped.wait(self.interval)


def run_dbt(extract: Path, database: Path, target: Path) -> dict:
    env = {**os.environ, "EQUITY_QI_EXTRACT_DIR": str(extract), "EQUITY_QI_DUCKDB": str(database),
           "DBT_PROFILES_DIR": str(ROOT / "profiles"), "DBT_TARGET_PATH": str(target), "DO_NOT_TRACK": "1"}
    for stale in (database, Path(f"{database}.wal")):
        stale.unlink(missing_ok=True)
    spill_dir = Path(f"{database}.tmp")  # DuckDB's default temp_directory for a database file
    shutil.rmtree(spill_dir, ignore_errors=True)
    began = time.perf_counter()
    child = subprocess.Popen([str(Path(sys.executable).with_name("dbt")), "build", "--quiet"], cwd=ROOT, env=env)
    sampler = Sampler(child.pid, spill_dir)
    sampler.start()

    def stop_child(signum: int, _frame: object) -> None:  # a stopped benchmark must not leave dbt running
        child.kill()
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop_child)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = round(time.perf_counter() - began, 1)
    sampler.stopped.set()
    sampler.join()
    return {
        "failed": os.waitstatus_to_exitcode(status) != 0,
        "dbt_build_seconds": seconds,
        "dbt_peak_rss_mb": round(max(usage.ru_maxrss / 1024, sampler.peak_rss_mb)),
        "dbt_peak_spill_mb": round(sampler.peak_spill_mb),
        "warehouse_mb": round(database.stat().st_size / 1e6, 1) if database.exists() else None,
    }


def slowest_models(target: Path, n: int = 10) -> list[dict]:
    path = target / "run_results.json"
    if not path.exists():
        return []
    results = [r for r in json.loads(path.read_text())["results"] if r["unique_id"].startswith("model.")]
    results.sort(key=lambda r: -r["execution_time"])
    return [{"model": r["unique_id"].split(".")[-1], "seconds": round(r["execution_time"], 1)} for r in results[:n]]


SCAN_FLOOR_SQL = """
with
    concepts as (select dbid, code from read_parquet('{extract}/concept.parquet')),
    codelist_concepts as (
        select distinct concepts.dbid as concept_id, codes.codelist_id
        from concepts
        inner join read_csv('{codelists}', all_varchar = true) as codes on concepts.code = codes.code
    ),
    observations as (
        select patient_id, core_concept_id, non_core_concept_id, clinical_effective_date, result_value
        from read_parquet('{extract}/observation.parquet')
        where not coalesce(is_delete, false) and clinical_effective_date is not null
    ),
    matched as (
        select observations.*, codelist_concepts.codelist_id
        from observations inner join codelist_concepts on observations.core_concept_id = codelist_concepts.concept_id
        union all
        select observations.*, codelist_concepts.codelist_id
        from observations inner join codelist_concepts
            on observations.non_core_concept_id = codelist_concepts.concept_id
    ),
    -- the latest value of each (patient, codelist) in each QOF year (April to March)
    yearly as (
        select patient_id, codelist_id,
            year(clinical_effective_date) + case when month(clinical_effective_date) > 3 then 1 else 0 end
                as qof_year,
            arg_max(result_value, clinical_effective_date) as latest_value
        from matched
        group by all
    ),
    -- ... which stays the latest until the next year with a value
    valid as (
        select *, lead(qof_year) over (partition by patient_id, codelist_id order by qof_year) as next_year
        from yearly
    ),
    year_ends as (select unnest(cast({year_ends} as date[])) as year_end)
select count(*) from valid inner join year_ends
    on year(year_ends.year_end) >= valid.qof_year
    and (valid.next_year is null or year(year_ends.year_end) < valid.next_year)
"""


def scan_floor(extract: Path) -> dict:
    """Seconds and result rows of the scan-floor query, in a child process with the profile's limits."""
    manifest = json.loads((extract / "manifest.json").read_text())
    start, end = (dt.date.fromisoformat(manifest["period"][k]) for k in ("start", "end"))
    year_ends = [dt.date(y, 3, 31).isoformat() for y in range(start.year, end.year + 1)
                 if start <= dt.date(y, 3, 31) <= end]
    sql = SCAN_FLOOR_SQL.format(extract=extract, codelists=ROOT / "seeds" / "codelists" / "ref_codelist_codes.csv",
                                year_ends=[str(y) for y in year_ends])
    child = (
        "import duckdb, json, sys, time\n"
        "con = duckdb.connect()\n"
        "con.execute(\"set threads = 2\"); con.execute(\"set memory_limit = '12GB'\")\n"
        "began = time.perf_counter()\n"
        "rows = con.execute(sys.stdin.read()).fetchone()[0]\n"
        "print(json.dumps({'seconds': round(time.perf_counter() - began, 1), 'rows': rows}))\n"
    )
    done = subprocess.run([sys.executable, "-c", child], input=sql, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"scan_floor_seconds": result["seconds"], "scan_floor_rows": result["rows"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="demo", choices=list(SCALES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--background-codes", type=int, default=0)
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    extract = extract_for(args.scale, args.seed, args.background_codes)
    database = WORK / f"build_{args.scale}.duckdb"
    target = WORK / f"build_{args.scale}_target"
    result = {"date": dt.datetime.now().isoformat(timespec="seconds"), "scale": args.scale, **SCALES[args.scale],
              "seed": args.seed, "background_codes": args.background_codes,
              # the DuckDB memory limit the profile gets (profiles/profiles.yml; unset = the profile's default)
              "memory_limit": os.environ.get("EQUITY_QI_MEMORY_LIMIT", "profile default"),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores",
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                       text=True).stdout.strip()}
    result |= scan_floor(extract)
    result |= run_dbt(extract, database, target)
    if not result["failed"]:
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_generate import write_qi_verdicts  # the QI verdicts of this build, bench/results/qi_verdicts_*.md

        write_qi_verdicts(database, args.scale)
    result["floor_ratio"] = round(result["dbt_build_seconds"] / max(result["scan_floor_seconds"], 0.1), 1)
    result["slowest_models"] = slowest_models(target)
    with (RESULTS / "build.jsonl").open("a") as handle:
        handle.write(json.dumps(result, sort_keys=True) + "\n")
    write_summary()
    print(json.dumps(result, indent=1))
    return 1 if result["failed"] else 0


def write_summary() -> None:
    rows = [json.loads(line) for line in (RESULTS / "build.jsonl").read_text().splitlines() if line.strip()]
    latest: dict[tuple, dict] = {}
    for row in rows:
        latest[(row["scale"], row["background_codes"])] = row
    lines = [
        "# dbt build benchmark (latest run per scale and background codes; bench/bench_build.py)",
        "",
        "Targets for NEL (issue 13): build <= 300 s, peak RSS <= 8,000 MB, peak spill <= 5,000 MB, warehouse "
        "<= 5,000 MB; background codes K = 4 within 1.5x of K = 0.",
        "",
        "| scale | patients | practices | K | seed | build s | peak RSS MB | peak spill MB | warehouse MB "
        "| scan floor s | build / floor | failed | commit | date |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(latest.values(), key=lambda r: (r["patients"], r["background_codes"])):
        lines.append(
            f"| {r['scale']} | {r['patients']:,} | {r['practices']} | {r['background_codes']} | {r['seed']} "
            f"| {r['dbt_build_seconds']} | {r['dbt_peak_rss_mb']:,} | {r['dbt_peak_spill_mb']:,} "
            f"| {r['warehouse_mb']} | {r['scan_floor_seconds']} | {r['floor_ratio']} | {r['failed']} "
            f"| {r.get('commit', '')} | {r['date']} |"
        )
    for r in sorted(latest.values(), key=lambda r: (r["patients"], r["background_codes"])):
        lines += ["", f"## Slowest models: {r['scale']}, K = {r['background_codes']} ({r['date']})", "",
                  "| model | seconds |", "|---|---|"]
        lines += [f"| {m['model']} | {m['seconds']} |" for m in r["slowest_models"]]
    (RESULTS / "build.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
