"""The fixed world every chunk shares: boroughs, PCNs, practices, their catchments and the QI projects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .config import add_months, to_day
from .drift import PracticeDrift, build_drift
from .reference import NEL_BOROUGHS, Lsoas, Reference

STREETS = (
    "Abbey", "Albion", "Barkingside", "Bow", "Cedar", "Chapel", "Church", "Clementine", "Elm", "Forest",
    "Grove", "Highbury", "Kingsway", "Lea Bridge", "Manor", "Market", "Mile End", "Orchard", "Park",
    "Queens", "Riverside", "Station", "Thames", "Victoria", "Wanstead", "Woodgrange",
)
SUFFIXES = ("Medical Centre", "Surgery", "Health Centre", "Practice", "Group Practice", "Medical Practice")
TPP_SHARE = 0.10  # NEL practices are mostly on EMIS Web; some on TPP SystmOne


@dataclass
class World:
    borough_codes: list[str]
    borough_names: list[str]
    pcn_codes: list[str]
    pcn_names: list[str]
    pcn_borough: np.ndarray  # borough index per PCN
    practice_ods: list[str]
    practice_names: list[str]
    practice_pcn: np.ndarray
    practice_borough: np.ndarray
    practice_list_size: np.ndarray  # registered at the start of the period
    practice_is_tpp: np.ndarray
    practice_postcode: list[str]
    catchment_cdf: np.ndarray  # (practices, lsoas) cumulative probabilities
    lsoas: Lsoas
    practice_effect_hyp: np.ndarray  # added to BP-control probability
    practice_effect_cs: np.ndarray  # added to cervical-screening attendance
    drift: PracticeDrift  # year-to-year practice drift of BP control, screening attendance and HbA1c
    projects: list[dict[str, Any]]

    @property
    def n_practices(self) -> int:
        return len(self.practice_ods)

    def org_id_of_practice(self, practice: np.ndarray) -> np.ndarray:
        """Organisation ids: ICB 1, boroughs 2.., PCNs next, practices last."""
        return 2 + len(self.borough_codes) + len(self.pcn_codes) + practice


def _largest_remainder(weights: np.ndarray, total: int, minimum: int = 0) -> np.ndarray:
    share = weights / weights.sum() * (total - minimum * len(weights))
    counts = np.floor(share).astype(int) + minimum
    short = total - counts.sum()
    counts[np.argsort(-(share - np.floor(share)), kind="stable")[:short]] += 1
    return counts


def build_world(config: dict[str, Any], ref: Reference, n_patients: int, n_practices: int, seed: int) -> World:
    rng = np.random.default_rng([seed, 0])
    lsoas = ref.lsoas
    borough_pop = np.array([lsoas.population[lsoas.la_code == b].sum() for b in NEL_BOROUGHS])
    if n_practices >= len(NEL_BOROUGHS):
        per_borough = _largest_remainder(borough_pop, n_practices, minimum=1)
    else:  # fewer practices than boroughs: the most populous boroughs get one each
        per_borough = np.zeros(len(NEL_BOROUGHS), int)
        per_borough[np.argsort(-borough_pop, kind="stable")[:n_practices]] = 1
    practice_borough = np.repeat(np.arange(len(NEL_BOROUGHS)), per_borough)

    pcn_codes, pcn_names, pcn_borough, practice_pcn = [], [], [], np.empty(n_practices, int)
    for b, count in enumerate(per_borough):
        members = np.flatnonzero(practice_borough == b)
        n_pcn = max(1, int(np.ceil(count / 5))) if count else 0
        for k in range(n_pcn):
            pcn_borough.append(b)
            pcn_codes.append(f"U{10000 + 613 * len(pcn_codes) + 7:05d}")
            pcn_names.append(f"{ref.borough_names[NEL_BOROUGHS[b]]} PCN {k + 1}")
            practice_pcn[members[k::n_pcn]] = len(pcn_codes) - 1

    list_size = rng.lognormal(0.0, config["population"]["practice_list_size_sd_log"], n_practices)
    list_size = _largest_remainder(np.maximum(list_size, 0.25), n_patients, minimum=min(50, n_patients // n_practices))

    ods = [f"F{82000 + 37 * i + int(rng.integers(0, 37)):05d}" for i in range(n_practices)]
    names, used = [], set()
    for _ in range(n_practices):
        name = f"{STREETS[rng.integers(len(STREETS))]} {SUFFIXES[rng.integers(len(SUFFIXES))]}"
        while name in used:
            name = f"{name} {len(used) % 7 + 2}"
        used.add(name)
        names.append(name)
    postcodes = [f"E{rng.integers(1, 19)} {rng.integers(1, 10)}{'ABDEFGHJLNPQRSTUWXYZ'[rng.integers(20)]}"
                 f"{'ABDEFGHJLNPQRSTUWXYZ'[rng.integers(20)]}" for _ in range(n_practices)]

    cdf = _catchments(config, lsoas, practice_borough, rng)
    world = World(
        borough_codes=list(NEL_BOROUGHS),
        borough_names=[ref.borough_names[b] for b in NEL_BOROUGHS],
        pcn_codes=pcn_codes,
        pcn_names=pcn_names,
        pcn_borough=np.asarray(pcn_borough),
        practice_ods=ods,
        practice_names=names,
        practice_pcn=practice_pcn,
        practice_borough=practice_borough,
        practice_list_size=list_size,
        practice_is_tpp=_clinical_systems(rng, n_practices),
        practice_postcode=postcodes,
        catchment_cdf=cdf,
        lsoas=lsoas,
        practice_effect_hyp=rng.normal(0, config["hypertension"]["practice_effect_sd"], n_practices),
        practice_effect_cs=rng.normal(0, config["cervical_screening"]["practice_effect_sd"], n_practices),
        drift=build_drift(config, n_practices, seed),
        projects=[],
    )
    world.projects = _choose_projects(config, world)
    return world


def _clinical_systems(rng: np.random.Generator, n_practices: int) -> np.ndarray:
    """TPP for about one practice in ten, and at least one once there are three, so CTV3 coding appears."""
    is_tpp = rng.random(n_practices) < TPP_SHARE
    if n_practices >= 3 and not is_tpp.any():
        is_tpp[-1] = True
    return is_tpp


def _catchments(config: dict, lsoas: Lsoas, practice_borough: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each practice draws patients mostly from its home MSOA and the MSOAs numbered next to it, then the rest
    of its borough, other NEL boroughs and (a few) neighbouring areas outside NEL."""
    shares = config["population"]["catchment"]
    pop = lsoas.population
    cdf = np.empty((len(practice_borough), len(lsoas)))
    for p, b in enumerate(practice_borough):
        in_borough = lsoas.la_code == NEL_BOROUGHS[b]
        msoas = np.unique(lsoas.msoa_code[in_borough])
        home = int(rng.integers(len(msoas)))
        near = msoas[max(0, home - 1) : home + 2]
        weights = np.zeros(len(lsoas))
        local = np.isin(lsoas.msoa_code, near)
        for mask, share in (
            (local, shares["same_or_adjacent_msoa"]),
            (in_borough & ~local, shares["same_borough"]),
            (lsoas.is_nel & ~in_borough, shares["other_nel_borough"]),
            (~lsoas.is_nel, shares["outside_nel"]),
        ):
            if mask.any():
                weights[mask] += share * pop[mask] / pop[mask].sum()
        cdf[p] = np.cumsum(weights / weights.sum())
        cdf[p, -1] = 1.0
    return cdf


def sample_lsoa(world: World, practice: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One LSOA index per person, from the catchment of the given practice."""
    n_lsoa = world.catchment_cdf.shape[1]
    flat = (world.catchment_cdf + np.arange(world.n_practices)[:, None]).ravel()
    idx = np.searchsorted(flat, practice + rng.random(len(practice)), side="right")
    return np.minimum(idx - practice * n_lsoa, n_lsoa - 1)


def project_cohorts(project: dict[str, Any]) -> list[tuple[int, list[int]]]:
    """A project's start cohorts: (start day, its practices), earliest first; one cohort unless staggered."""
    cohorts: dict[int, list[int]] = {}
    for practice, day in zip(project["practices"], project["practice_start_days"], strict=True):
        cohorts.setdefault(day, []).append(practice)
    return sorted(cohorts.items())


def _choose_projects(config: dict, world: World) -> list[dict[str, Any]]:
    """Pick each QI project's practices (most socially mixed first, in the configured borough where it has
    enough; at most `qi_max_practice_share` of all practices) and as many comparison practices, never reusing a
    practice across projects."""
    quintile = world.lsoas.imd_quintile
    pdf = np.diff(np.concatenate([np.zeros((world.n_practices, 1)), world.catchment_cdf], axis=1), axis=1)
    mix = np.stack([pdf[:, quintile == q].sum(axis=1) for q in range(1, 6)], axis=1)
    entropy = -(mix * np.log(np.where(mix > 0, mix, 1))).sum(axis=1)
    used: set[int] = set()
    projects = []
    for spec in config["qi_projects"]:
        n = int(min(spec["n_practices"], max(1, int(world.n_practices * config["qi_max_practice_share"] + 1e-9))))
        n_cmp = int(min(spec["n_comparison"], n))
        in_borough = [b == spec.get("borough") for b in np.asarray(world.borough_codes)[world.practice_borough]]
        order = sorted(range(world.n_practices), key=lambda p: (not in_borough[p], -entropy[p], p))
        free = [p for p in order if p not in used]
        chosen, comparison = free[:n], free[n : n + n_cmp]
        used.update(chosen + comparison)
        project = dict(spec)
        project["practices"] = chosen
        project["comparison_practices"] = comparison
        project["start_day"] = to_day(spec["start"])
        # a staggered project's practices start on their own dates (a PCN rolling out practice by practice)
        offsets = spec.get("practice_start_offsets_months") or [0] * len(chosen)
        project["practice_start_days"] = [to_day(add_months(spec["start"], m)) for m in offsets[: len(chosen)]]
        project["end_day"] = to_day(spec["end"])
        project["planted"] = bool(chosen)  # too few practices leaves a project out (recorded in the truth)
        if spec["clinical_area"] == "diabetes" and chosen:
            rr = np.asarray(config["diabetes"]["rr_by_quintile"])
            weights = (mix[chosen] * world.practice_list_size[chosen, None]).sum(axis=0) * rr
            weights = weights / weights.sum()
            slope = spec["q5_minus_q1"] / 4.0
            intercept = spec["overall_effect"] - slope * float((weights * np.arange(5)).sum())
            project["effect_by_quintile"] = [intercept + slope * q for q in range(5)]
            project["expected_diabetic_quintile_mix"] = weights.tolist()
        projects.append(project)
    return projects

