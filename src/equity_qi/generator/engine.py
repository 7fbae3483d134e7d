"""Generate a whole extract: world, then practice chunks one after another (bounded memory), then the
reference tables, `manifest.json`, `ground_truth.json` and `qi_projects.csv`, written atomically."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import background_codes, chronic, dirt, screening
from .codes import build_codes
from .config import from_day, load_config, parse_date, to_day, validate
from .context import Chunk
from .frames import Frame, concat, frame_len
from .population import simulate
from .reference import Reference
from .schema import SCHEMA_VERSION
from .tables import build_tables
from .truth import Truth
from .world import World, build_world
from .writer import ExtractWriter, sha256

CHUNK_PERSONS = 60_000
GENERATOR_VERSION = "1.2"  # 1.1: practice drift, turnover by deprivation, persistent non-attenders; 1.2: staggered
# QI projects (practice_start_dates in qi_projects.csv), NEL-sized default projects (16 + 16 practices)


@dataclass(frozen=True)
class Options:
    out: Path
    patients: int = 200_000
    practices: int = 40
    seed: int = 20260401
    start: str | None = None
    end: str | None = None
    fmt: str = "csv"
    dirty_rate: float = 0.01
    config: Path | None = None
    overwrite: bool = False
    background_codes: int = 0


class GenerateError(ValueError):
    """Bad options: reported to the user with nothing written."""


def check_options(opts: Options) -> dict[str, Any]:
    if opts.fmt not in ("csv", "parquet"):
        raise GenerateError(f"--format must be csv or parquet, got {opts.fmt!r}")
    if opts.practices < 1:
        raise GenerateError("--practices must be at least 1")
    if opts.patients < 50 * opts.practices:
        raise GenerateError(f"--patients must be at least 50 per practice ({50 * opts.practices} for {opts.practices})")
    if not 0 <= opts.dirty_rate <= 0.2:
        raise GenerateError(f"--dirty-rate must be between 0 and 0.2, got {opts.dirty_rate}")
    if opts.seed < 0:
        raise GenerateError("--seed must be a non-negative integer")
    if not 0 <= opts.background_codes <= 20:
        raise GenerateError(f"--background-codes must be between 0 and 20, got {opts.background_codes}")
    if opts.out.exists() and not opts.overwrite and any(opts.out.iterdir()):
        raise GenerateError(f"output folder {opts.out} exists and is not empty (use --overwrite to replace it)")
    if opts.out.exists() and not opts.out.is_dir():
        raise GenerateError(f"output path {opts.out} exists and is not a folder")
    config = load_config(opts.config)
    if opts.start:
        config["period"]["start"] = str(parse_date(opts.start, "--start"))
    if opts.end:
        config["period"]["end"] = str(parse_date(opts.end, "--end"))
    validate(config)  # again, now the command-line dates are in
    config["_dirty_rate"] = opts.dirty_rate
    return config


def generate(opts: Options) -> dict[str, Any]:
    """Write the extract to `opts.out`; returns the manifest. Nothing is left behind on failure."""
    config = check_options(opts)
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    staging = opts.out.parent / f".{opts.out.name}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        manifest = _generate_into(staging, opts, config)
        if opts.out.exists():
            old = opts.out.parent / f".{opts.out.name}.old"
            shutil.rmtree(old, ignore_errors=True)
            opts.out.rename(old)
            staging.rename(opts.out)
            shutil.rmtree(old)
        else:
            staging.rename(opts.out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _generate_into(folder: Path, opts: Options, config: dict[str, Any]) -> dict[str, Any]:
    ref = Reference()
    codes = build_codes(ref)
    world = build_world(config, ref, opts.patients, opts.practices, opts.seed)
    start = to_day(config["period"]["start"])
    extract = to_day(config["period"]["end"]) + 1
    history = start - int(config["period"]["history_years"] * 365.25)
    writer = ExtractWriter(folder, opts.fmt)
    truth = Truth(world, config, start, extract)
    background_ids = background_codes.register(codes.registry) if opts.background_codes else None

    for index, practices in enumerate(_chunks(world)):
        rng = np.random.default_rng([opts.seed, 1, index])
        pop = simulate(config, world, practices, start, extract, rng)
        ch = Chunk(config, world, codes, pop, rng, start, extract, history)
        states = {**chronic.hypertension(ch), **chronic.diabetes(ch)}
        screening.cervical_screening(ch)
        screening.immunisations(ch)
        recorded_letter = screening.ethnicity(ch)
        screening.background(ch)
        n_real = pop.n
        counts = dirt.add_extra_people(ch, practices)
        recorded_letter = np.concatenate([recorded_letter, np.full(ch.pop.n - n_real, -1)])
        frames = build_tables(ch, recorded_letter)
        clean_observations = frames["observation"]
        frames, deletes, row_counts = dirt.inject(ch, frames)
        if background_ids is not None:
            frames["observation"] = _with_background(frames["observation"], clean_observations, deletes, opts,
                                                     background_ids, n_real, ch, index)
        truth.add_chunk(ch, states, {**counts, **row_counts}, n_real)
        used = {}
        for table, frame in frames.items():
            frame = {k: v for k, v in frame.items() if not k.startswith("_")}
            writer.write(table, frame, deletes.get(table))
            used[table] = max(_max_id(frame), int(deletes[table].max()) if len(deletes.get(table, [])) else -1)
        for table, last_id in used.items():  # only now: a chunk's references use the offsets it started with
            writer.advance(table, last_id + 1)

    writer.write("organization", _organizations(world), shift=False)
    concept, concept_map = _concept_frames(codes.registry)
    writer.write("concept", concept, shift=False)
    writer.write("concept_map", concept_map, shift=False)
    writer.close()

    _write_qi_projects(folder / "qi_projects.csv", world)
    extract_date = from_day(extract).isoformat()
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "generator_version": GENERATOR_VERSION,
        "format": opts.fmt,
        "extract_timestamp": f"{extract_date}T02:00:00",
        "period": {"start": config["period"]["start"], "end": config["period"]["end"]},
        "options": {"patients": opts.patients, "practices": opts.practices, "seed": opts.seed,
                    "dirty_rate": opts.dirty_rate,
                    **({"background_codes": opts.background_codes} if opts.background_codes else {})},
        "tables": {
            name: {"file": writer.path(name).name, "rows": writer.rows[name], "sha256": sha256(writer.path(name))}
            for name in writer.rows
        },
    }
    (folder / "ground_truth.json").write_text(json.dumps(truth.to_json(), indent=1, sort_keys=True) + "\n")
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _with_background(observations: Frame, clean: Frame, deletes: dict, opts: Options, concept_ids: Any,
                     n_real: int, ch: Chunk, index: int) -> Frame:
    """The chunk's observations with its background rows appended (module background_codes), ids after every id the
    chunk uses (delete rows included: a delete row removes every row with its key). Own random stream: K > 0 leaves
    the rest of the extract as K = 0 writes it."""
    rng = np.random.default_rng([opts.seed, 2, index])
    extra = background_codes.rows(observations, clean, opts.background_codes, concept_ids, n_real,
                                  ch.codes.enum("DS_DATE_PREC_day"), rng)
    if not frame_len(extra):
        return observations
    deleted = deletes.get("observation", [])
    first = max(_max_id(observations), int(np.max(deleted)) if len(deleted) else -1) + 1
    extra["id"] = np.arange(first, first + frame_len(extra))
    return concat([observations, extra])


def _max_id(frame: Frame) -> int:
    if not frame_len(frame):
        return -1
    key = "id" if "id" in frame else next(iter(frame))
    return int(np.max(frame[key]))


def _chunks(world: World) -> list[np.ndarray]:
    chunks, current, size = [], [], 0
    for practice, list_size in enumerate(world.practice_list_size):
        current.append(practice)
        size += list_size
        if size >= CHUNK_PERSONS:
            chunks.append(np.asarray(current))
            current, size = [], 0
    if current:
        chunks.append(np.asarray(current))
    return chunks


def _organizations(world: World) -> Frame:
    n_b, n_pcn, n_pr = len(world.borough_codes), len(world.pcn_codes), world.n_practices
    ods = ["QMF", *world.borough_codes, *world.pcn_codes, *world.practice_ods]
    names = ["NHS North East London ICB", *world.borough_names, *world.pcn_names, *world.practice_names]
    types = ["ICB"] + ["LA"] * n_b + ["PCN"] * n_pcn + ["PR"] * n_pr
    descs = {"ICB": "Integrated care board", "LA": "Local authority (borough)",
             "PCN": "Primary care network", "PR": "GP practice"}
    parent = np.concatenate([[-1], np.full(n_b, 1), 2 + world.pcn_borough, 2 + n_b + world.practice_pcn])
    postcode = [None] * (1 + n_b + n_pcn) + world.practice_postcode
    return {
        "id": np.arange(1, 2 + n_b + n_pcn + n_pr),
        "ods_code": np.array(ods, dtype=object),
        "name": np.array(names, dtype=object),
        "type_code": np.array(types, dtype=object),
        "type_desc": np.array([descs[t] for t in types], dtype=object),
        "postcode": np.array(postcode, dtype=object),
        "parent_organization_id": parent,
    }


def _concept_frames(registry: Any) -> tuple[Frame, Frame]:
    rows = sorted(registry.rows)
    n = len(rows)
    concept = {
        "dbid": np.array([r[0] for r in rows]),
        "document": np.ones(n, np.int64),
        "id": np.array([r[1] for r in rows], dtype=object),
        "draft": np.zeros(n, bool),
        "name": np.array([r[2] for r in rows], dtype=object),
        "description": np.array([r[2] for r in rows], dtype=object),
        "scheme": np.array([r[3] for r in rows]),
        "code": np.array([r[4] for r in rows], dtype=object),
        "use_count": np.zeros(n, np.int64),
        "updated": np.full(n, to_day("2024-01-01") * 86_400),
    }
    maps = registry.maps
    concept_map = {
        "legacy": np.array([m[0] for m in maps]),
        "core": np.array([m[1] for m in maps]),
        "updated": np.full(len(maps), to_day("2024-01-01") * 86_400),
        "id": np.arange(1, len(maps) + 1),
        "deleted": np.array([m[2] for m in maps], bool),
    }
    return concept, concept_map


def _write_qi_projects(path: Path, world: World) -> None:
    lines = ["project_id,title,indicator,clinical_area,practice_codes,comparison_practice_codes,start_date,end_date,"
             "practice_start_dates"]
    for p in world.projects:
        practices = "|".join(world.practice_ods[i] for i in p["practices"])
        comparison = "|".join(world.practice_ods[i] for i in p["comparison_practices"])
        # per-practice start dates only for a staggered project (empty: every practice starts on start_date)
        starts = sorted(set(p["practice_start_days"]))
        dates = "|".join(str(from_day(d)) for d in p["practice_start_days"]) if len(starts) > 1 else ""
        lines.append(f'{p["project_id"]},"{p["title"]}",{p["indicator"]},{p["clinical_area"]},'
                     f'{practices},{comparison},{p["start"]},{p["end"]},{dates}')
    path.write_text("\n".join(lines) + "\n")

