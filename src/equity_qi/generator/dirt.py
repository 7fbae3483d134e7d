"""Real-world dirt, planted at a configurable rate and counted exactly (see discovery_schema.md §3).

Dirt never changes the clean truth: it adds rows a pipeline must remove (duplicates, deleted rows, spurious
dated or implausible records, non-GMS registrations, test patients) or changes how a true value is written
(DCCT units, partial dates, broken LSOAs, episodes left open after a transfer)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .chronic import add_bp_readings
from .context import UNIT, Chunk, Kind, uniform_days
from .frames import Coded, Frame, concat, frame_len, take
from .population import NEVER, YEAR, Segments, first_of_month, pseudonyms
from .world import sample_lsoa

TEST_NAMES = (
    ("Mr", "Test", "PATIENT"), ("Ms", "Mickey", "MOUSE"), ("Mr", "Donald", "DUCK"), ("Mrs", "Dummy", "XXTEST")
)
INVALID_LSOAS = ("E0100123", "e01000001", "E02000001", "UNKNOWN", "E01 000001", "ZZ99999999")
NON_ENGLISH_LSOAS = ("W01000001", "W01001234", "S01006506", "S01010200")
SAFE_KINDS = (Kind.SMOKING, Kind.BMI)  # rows safe to copy as spurious records


def rate(ch: Chunk, kind: str) -> float:
    return min(1.0, ch.config["_dirty_rate"] * ch.config["dirt"]["weights"][kind])


def add_extra_people(ch: Chunk, practices: np.ndarray) -> dict[str, int]:
    """Temporary residents, dummy registrations and test patients: registered people who must not count."""
    pop, rng = ch.pop, ch.rng
    n_real = pop.n
    counts = {}
    people = []
    for label, kind in (("temporary_episodes", 1), ("dummy_episodes", 2), ("test_patients", 0)):
        k = int(rng.binomial(n_real, rate(ch, label)))
        counts[label] = k
        people.append(np.full(k, kind, np.int8))
    reg_type = np.concatenate(people)
    is_test = np.concatenate([np.zeros(len(people[0]) + len(people[1]), bool), np.ones(len(people[2]), bool)])
    k = len(reg_type)
    practice = rng.choice(practices, k)
    entry = ch.start + uniform_days(rng, k, 0, ch.extract - ch.start - 100)
    stay = np.where(reg_type == 1, uniform_days(rng, k, 7, 90), NEVER)
    leave = np.where(entry + stay < ch.extract, entry + stay, NEVER)
    birth = first_of_month(entry - uniform_days(rng, k, 18 * YEAR, 70 * YEAR))
    lsoa = sample_lsoa(ch.world, practice, rng)
    index = n_real + np.arange(k)
    names = np.full((k, 3), None, dtype=object)
    names[is_test] = np.array(TEST_NAMES, dtype=object)[rng.integers(0, len(TEST_NAMES), is_test.sum())]

    def extend(seg: Segments, value: np.ndarray, reason: np.ndarray | None) -> Segments:
        return Segments(
            np.concatenate([seg.person, index]), np.concatenate([seg.start, entry]),
            np.concatenate([seg.end, leave]), np.concatenate([seg.value, value]),
            None if reason is None else np.concatenate([seg.end_reason, reason]),
        )

    ch.pop = replace(
        pop,
        n=n_real + k,
        sex_female=np.concatenate([pop.sex_female, rng.random(k) < 0.5]),
        birth=np.concatenate([pop.birth, birth]),
        death=np.concatenate([pop.death, np.full(k, NEVER)]),
        ethnicity=np.concatenate([pop.ethnicity, rng.integers(0, 16, k).astype(pop.ethnicity.dtype)]),
        entry=np.concatenate([pop.entry, entry]),
        exit=np.concatenate([pop.exit, leave]),
        stints=extend(pop.stints, practice, np.where(leave < NEVER, 2, 0)),
        addresses=extend(pop.addresses, lsoa, None),
        is_birth=np.concatenate([pop.is_birth, np.zeros(k, bool)]),
        reg_type=np.concatenate([pop.reg_type, reg_type]),
        test_names=np.concatenate([pop.test_names, names]),
        is_test=np.concatenate([pop.is_test, is_test]),
        skid=np.concatenate([pop.skid, pseudonyms(rng, k)]),
    )
    # Each gets one unremarkable BP reading, so their records are not empty.
    day = np.minimum(entry + uniform_days(rng, k, 0, 5), ch.extract - 1)
    add_bp_readings(ch, index, day, np.round(rng.normal(125, 12, k)), np.round(rng.normal(78, 8, k)))
    return counts


def inject(ch: Chunk, frames: dict[str, Frame]) -> tuple[dict[str, Frame], dict[str, np.ndarray], dict[str, int]]:
    """Plant row-level dirt. Returns the frames, the ids of id-only delete rows per table, and the counts."""
    rng = ch.rng
    counts: dict[str, int] = {}
    deletes: dict[str, np.ndarray] = {}
    frames["episode_of_care"], counts_ep = _episodes(ch, frames["episode_of_care"])
    counts.update(counts_ep)
    frames["patient_address"] = _lsoas(ch, frames["patient_address"], counts)
    obs = frames["observation"]
    _rewrite_observations(ch, obs, counts)
    originals = {name: frame_len(f) for name, f in frames.items()}
    obs = concat([obs, *_spurious_observations(ch, obs, counts)])
    for table in ("observation", "medication_statement", "patient_address"):
        frame = obs if table == "observation" else frames[table]
        if not frame_len(frame):
            counts[f"deleted_rows.{table}"] = 0
            continue
        source = _pick(
            rng, _safe_rows(frame) if table == "observation" else np.arange(originals[table]), rate(ch, "deleted_rows")
        )
        spurious = take(frame, source)
        spurious["id"] = _new_ids(frame, len(source))
        deletes[table] = spurious["id"]
        counts[f"deleted_rows.{table}"] = len(source)
        frame = concat([frame, spurious])
        if table == "observation":
            obs = frame
        else:
            frames[table] = frame
    frames["observation"] = obs
    for table in ("observation", "medication_statement", "patient_address", "episode_of_care"):
        frame = frames[table]
        if not frame_len(frame):
            counts[f"duplicate_rows.{table}"] = 0
            continue
        rows = _pick(rng, np.arange(originals[table]), rate(ch, "duplicate_rows"))
        counts[f"duplicate_rows.{table}"] = len(rows)
        frames[table] = concat([frame, take(frame, rows)])
    return frames, deletes, counts


def _pick(rng: np.random.Generator, candidates: np.ndarray, share: float) -> np.ndarray:
    k = int(rng.binomial(len(candidates), share)) if len(candidates) else 0
    return np.sort(rng.choice(candidates, k, replace=False)) if k else np.empty(0, np.int64)


def _new_ids(frame: Frame, k: int) -> np.ndarray:
    return int(frame["id"].max()) + 1 + np.arange(k)


def _safe_rows(obs: Frame) -> np.ndarray:
    return np.flatnonzero(np.isin(obs["_kind"], SAFE_KINDS))


def _episodes(ch: Chunk, episode: Frame) -> tuple[Frame, dict[str, int]]:
    rng, pop = ch.rng, ch.pop
    real_stint = pop.is_real[pop.stints.person]
    # A transfer whose old episode is left open, or closed late: the person looks registered twice.
    transfer = np.flatnonzero((pop.stints.end_reason == 3) & real_stint)
    overlap = _pick(rng, transfer, rate(ch, "overlapping_registrations"))
    left_open = overlap[rng.random(len(overlap)) < 0.5]
    closed_late = np.setdiff1d(overlap, left_open)
    episode["date_registered_end"][left_open] = NEVER
    episode["registration_status_concept_id"][left_open] = ch.codes.enum("FHIR_RS_R1")
    late = episode["date_registered_end"][closed_late] + uniform_days(rng, len(closed_late), 30, 365)
    episode["date_registered_end"][closed_late] = np.where(late < ch.extract, late, NEVER)
    # Pre-registration episodes just before a regular registration at the same practice.
    pre = _pick(rng, np.flatnonzero(real_stint), rate(ch, "pre_registration"))
    extra = take(episode, pre)
    extra["id"] = _new_ids(episode, len(pre))
    extra["registration_status_concept_id"] = rng.choice(
        [ch.codes.enum(f"FHIR_RS_PR{i}") for i in (1, 2, 3)], len(pre)
    )
    extra["date_registered"] = extra["date_registered"] - uniform_days(rng, len(pre), 7, 60)
    extra["date_registered_end"] = np.where(rng.random(len(pre)) < 0.5, NEVER, episode["date_registered"][pre] - 1)
    counts = {"overlapping_registrations": len(overlap), "pre_registration": len(pre)}
    return concat([episode, extra]), counts


def _lsoas(ch: Chunk, address: Frame, counts: dict[str, int]) -> Frame:
    rng = ch.rng
    rows = np.arange(frame_len(address))
    taken = np.zeros(len(rows), bool)
    for label, values in (
        ("lsoa_null", (None,)), ("lsoa_invalid", INVALID_LSOAS), ("lsoa_non_english", NON_ENGLISH_LSOAS)
    ):
        chosen = _pick(rng, rows[~taken], rate(ch, label))
        taken[chosen] = True
        counts[label] = len(chosen)
        address["lsoa_2011_code"][chosen] = np.array(values, dtype=object)[rng.integers(0, len(values), len(chosen))]
        address["msoa_2011_code"][chosen] = None
    counts["lsoa_outside_nel"] = _outside_nel(ch, address["lsoa_2011_code"][~taken])
    return address


def _outside_nel(ch: Chunk, codes: np.ndarray) -> int:
    nel = set(ch.world.lsoas.code[ch.world.lsoas.is_nel].tolist())
    return int(sum(1 for c in codes.tolist() if c not in nel))


def _rewrite_observations(ch: Chunk, obs: Frame, counts: dict[str, int]) -> None:
    """Partial dates on historic diagnoses; HbA1c written in DCCT %."""
    rng = ch.rng
    historic = np.flatnonzero(
        np.isin(obs["_kind"], (Kind.HTN_DX, Kind.DM_DX)) & (obs["clinical_effective_date"] < ch.start)
    )
    partial = _pick(rng, historic, min(1.0, rate(ch, "partial_date") * 10))
    to_year = rng.random(len(partial)) < 0.4
    day = obs["clinical_effective_date"][partial].astype("datetime64[D]")
    obs["clinical_effective_date"][partial] = np.where(
        to_year, day.astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64),
        day.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64),
    )
    obs["date_precision_concept_id"][partial] = np.where(
        to_year, ch.codes.enum("DS_DATE_PREC_year"), ch.codes.enum("DS_DATE_PREC_month")
    )
    counts["partial_date.year"] = int(to_year.sum())
    counts["partial_date.month"] = int((~to_year).sum())

    hba1c = np.flatnonzero(obs["_kind"] == Kind.HBA1C)
    dcct = _pick(rng, hba1c, rate(ch, "hba1c_dcct"))
    obs["result_value"][dcct] = np.round(0.09148 * obs["result_value"][dcct] + 2.152, 1)
    units = np.array([UNIT["%"], UNIT["per cent"], UNIT["DCCT %"], -1])[
        rng.choice(4, len(dcct), p=[0.6, 0.15, 0.1, 0.15])
    ]
    obs["result_value_units"].indices[dcct] = units
    recoded = dcct[rng.random(len(dcct)) < 0.5]  # half also carry the DCCT-aligned code, half the IFCC one
    pool = ch.codes.pools["hba1c_dcct"]
    core, non_core = pool.pick(rng, np.zeros(len(recoded), bool), np.zeros(len(recoded), bool), local_share=0)
    obs["core_concept_id"][recoded] = core
    obs["non_core_concept_id"][recoded] = non_core
    counts["hba1c_dcct"] = len(dcct)


def _spurious_observations(ch: Chunk, obs: Frame, counts: dict[str, int]) -> list[Frame]:
    rng, pop = ch.rng, ch.pop
    out: list[Frame] = []
    safe = _safe_rows(obs)
    next_id = int(obs["id"].max()) + 1 if frame_len(obs) else 0

    def copies(rows: np.ndarray, day: np.ndarray) -> Frame:
        nonlocal next_id
        frame = take(obs, rows)
        frame["id"] = next_id + np.arange(len(rows))
        next_id += len(rows)
        frame["clinical_effective_date"] = day
        frame["parent_observation_id"] = np.full(len(rows), -1)
        frame["age_at_event"] = np.round((day - pop.birth[frame["person_id"]]) / YEAR, 2)
        frame["age_at_event"] = np.where(np.abs(frame["age_at_event"]) < 999.99, frame["age_at_event"], np.nan)
        return frame

    rows = _pick(rng, safe, rate(ch, "future_dated"))
    out.append(copies(rows, ch.extract + uniform_days(rng, len(rows), 1, 15 * YEAR)))
    counts["future_dated"] = len(rows)
    rows = _pick(rng, safe, rate(ch, "before_birth"))
    out.append(copies(rows, pop.birth[obs["person_id"][rows]] - uniform_days(rng, len(rows), 1, 10 * YEAR)))
    counts["before_birth"] = len(rows)
    died = safe[pop.death[obs["person_id"][safe]] < ch.extract - 2]
    rows = _pick(rng, died, min(1.0, rate(ch, "after_death") * 10))
    death = pop.death[obs["person_id"][rows]]
    out.append(
        copies(
            rows,
            death + 1 + np.floor(rng.random(len(rows)) * np.minimum(400, ch.extract - 1 - death - 1)).astype(np.int64),
        )
    )
    counts["after_death"] = len(rows)

    # Implausible readings: parent + systolic + diastolic with impossible values, a week after a real one.
    parents = np.flatnonzero(obs["_kind"] == Kind.BP_PARENT)
    rows = _pick(rng, parents, rate(ch, "implausible_bp"))
    day = np.maximum(np.minimum(obs["clinical_effective_date"][rows] + 7, ch.last[obs["person_id"][rows]] - 1),
                     obs["clinical_effective_date"][rows])
    parent = copies(rows, day)
    sys_rows = copies(rows, day)
    dia_rows = copies(rows, day)
    bad = rng.integers(0, 4, len(rows))
    sys_rows["result_value"] = np.array([0.0, 999.0, 1400.0, 12.0])[bad]
    dia_rows["result_value"] = np.array([0.0, 500.0, 300.0, 8.0])[bad]
    for frame, kind, pool in ((sys_rows, Kind.BP_SYS, "bp_sys"), (dia_rows, Kind.BP_DIA, "bp_dia")):
        core, non_core = ch.codes.pools[pool].pick(rng, np.zeros(len(rows), bool), np.zeros(len(rows), bool), 0)
        frame["core_concept_id"], frame["non_core_concept_id"] = core, non_core
        frame["parent_observation_id"] = parent["id"]
        frame["_kind"] = np.full(len(rows), kind)
        frame["result_value_units"] = Coded(np.full(len(rows), UNIT["mmHg"]), frame["result_value_units"].categories)
    out.extend([parent, sys_rows, dia_rows])
    counts["implausible_bp"] = len(rows)
    # Orphan diastolic readings: a diastolic with no parent and no systolic that day.
    last = ch.last  # spurious readings still fall inside the person's time in the extract
    dia = np.flatnonzero(obs["_kind"] == Kind.BP_DIA)
    rows = _pick(rng, dia, rate(ch, "orphan_diastolic"))
    day = obs["clinical_effective_date"][rows] + uniform_days(rng, len(rows), 1, 30)
    sys = obs["_kind"] == Kind.BP_SYS
    systolic_days = np.concatenate([obs["person_id"][sys] * NEVER + obs["clinical_effective_date"][sys],
                                    sys_rows["person_id"] * NEVER + sys_rows["clinical_effective_date"]])
    taken = np.isin(obs["person_id"][rows] * NEVER + day, systolic_days)
    keep = ~taken & (day < last[obs["person_id"][rows]])
    out.append(copies(rows[keep], day[keep]))
    counts["orphan_diastolic"] = int(keep.sum())

    return out
