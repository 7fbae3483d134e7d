"""People, their GP registrations and their addresses over time: the clean truth of one chunk.

Times are integer days since 1970-01-01. A person is registered on days [stint start, stint end); an end of
NEVER means still registered at the extract date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .world import World, sample_lsoa

NEVER = 10_000_000
YEAR = 365.25
ETHNIC_LETTERS = np.array(list("ABCDEFGHJKLMNPRSZ"))
SOUTH_ASIAN = np.isin(ETHNIC_LETTERS, list("HJK"))
BLACK = np.isin(ETHNIC_LETTERS, list("MNP"))


@dataclass
class Segments:
    """Per-person time segments sorted by (person, start): registrations or addresses."""

    person: np.ndarray
    start: np.ndarray
    end: np.ndarray
    value: np.ndarray  # practice index (stints) or LSOA index (addresses)
    end_reason: np.ndarray | None = None  # stints: 0 open, 1 death, 2 left NEL, 3 transfer

    def __len__(self) -> int:
        return len(self.person)

    def lookup(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Index of the segment in force for each (person, day); days before a person's first segment map to
        that first segment (history brought by the record)."""
        key = self.person.astype(np.int64) * NEVER + self.start
        idx = np.searchsorted(key, person.astype(np.int64) * NEVER + day, side="right") - 1
        first = np.searchsorted(self.person, person, side="left")
        return np.maximum(idx, first)


@dataclass
class Population:
    n: int
    sex_female: np.ndarray
    birth: np.ndarray  # first of the birth month
    death: np.ndarray  # NEVER if alive at the extract date
    ethnicity: np.ndarray  # index into ETHNIC_LETTERS (true ethnicity)
    entry: np.ndarray  # first registration day
    exit: np.ndarray  # day the person left NEL practices (death, emigration) or NEVER
    stints: Segments
    addresses: Segments
    is_birth: np.ndarray
    reg_type: np.ndarray  # index into tables.REG_TYPES: 0 regular/GMS, 1 temporary, 2 dummy
    test_names: np.ndarray  # (n, 3) title, first names, last name: None except for test patients
    is_test: np.ndarray
    skid: np.ndarray  # pseudonymised NHS number (hex)

    @property
    def is_real(self) -> np.ndarray:
        """People who count: not temporary residents, dummy records or test patients."""
        return (self.reg_type == 0) & ~self.is_test

    @property
    def group(self) -> np.ndarray:
        """0 other, 1 black, 2 south asian (risk groups used by the config)."""
        return np.where(SOUTH_ASIAN[self.ethnicity], 2, np.where(BLACK[self.ethnicity], 1, 0))


def first_of_month(day: np.ndarray) -> np.ndarray:
    return day.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _exp(rng: np.random.Generator, rate: np.ndarray | float, n: int) -> np.ndarray:
    rate = np.broadcast_to(np.asarray(rate, float), (n,))
    with np.errstate(divide="ignore"):
        return np.where(rate > 0, rng.exponential(1.0, n) / np.where(rate > 0, rate, 1) * YEAR, np.inf)


def simulate(
    config: dict[str, Any], world: World, practices: np.ndarray, start: int, end: int, rng: np.random.Generator
) -> Population:
    pop_cfg = config["population"]
    years = (end - start) / YEAR
    sizes = world.practice_list_size[practices]

    # Registered at the start of the period.
    practice0 = np.repeat(practices, sizes)
    n0 = len(practice0)
    shares = np.asarray(pop_cfg["age_band_shares"], float)
    band = rng.choice(len(shares), n0, p=shares / shares.sum())
    age0 = band * 5 + rng.random(n0) * np.where(band == 18, 12, 5)
    birth0 = first_of_month(start - np.floor(age0 * YEAR).astype(np.int64))
    since = np.floor(rng.exponential(8.0, n0) * YEAR).astype(np.int64)
    entry0 = np.maximum(birth0 + 30, start - since)

    # Births and arrivals from outside NEL during the period.
    births = rng.poisson(pop_cfg["births_per_1000"] / 1000 * sizes * years)
    arrivals = rng.poisson(pop_cfg["immigration_rate"] * sizes * years)
    practice_b = np.repeat(practices, births)
    birth_b = first_of_month(start + np.floor(rng.random(len(practice_b)) * (end - start)).astype(np.int64))
    entry_b = np.maximum(birth_b + rng.integers(14, 90, len(practice_b)), start)
    practice_a = np.repeat(practices, arrivals)
    n_a = len(practice_a)
    entry_a = start + np.floor(rng.random(n_a) * (end - start)).astype(np.int64)
    migrant_age = np.where(
        rng.random(n_a) < 0.7,
        18 + rng.random(n_a) * 22,
        np.where(rng.random(n_a) < 0.67, rng.random(n_a) * 18, 41 + rng.random(n_a) * 40),
    )
    birth_a = first_of_month(entry_a - np.floor(migrant_age * YEAR).astype(np.int64))

    practice = np.concatenate([practice0, practice_b, practice_a])
    birth = np.concatenate([birth0, birth_b, birth_a])
    entry = np.concatenate([entry0, entry_b, entry_a])
    is_birth = np.concatenate([np.zeros(n0, bool), np.ones(len(practice_b), bool), np.zeros(n_a, bool)])
    n = len(practice)
    # The clock for leaving starts at the later of entry and the start of the period.
    clock = np.maximum(entry, start)

    lsoa0 = sample_lsoa(world, practice, rng)
    quintile0 = world.lsoas.imd_quintile[lsoa0]

    # Deaths (Gompertz hazard with a deprivation gradient), inverted in closed form from `clock`.
    mort = pop_cfg["mortality"]
    a, b = mort["gompertz_a"], mort["gompertz_b"]
    rr = np.asarray(mort["rr_by_quintile"])[quintile0 - 1]
    age_clock = (clock - birth) / YEAR
    e = rng.exponential(1.0, n)
    age_death = np.log(e * b / (rr * np.exp(a)) + np.exp(b * age_clock)) / b
    death = birth + np.floor(age_death * YEAR).astype(np.int64)
    death = np.where(death < end, np.maximum(death, clock + 1), NEVER)

    young_adult = (age_clock >= 18) & (age_clock < 40)
    # list turnover differs by deprivation: people in more deprived areas move more often (private renting)
    turnover_rr = np.asarray(pop_cfg["turnover_rr_by_quintile"])[quintile0 - 1]
    leave = clock + _exp(rng, pop_cfg["emigration_rate"] * np.where(young_adult, 2.0, 0.6) * turnover_rr, n)
    leave = np.where(leave < end, np.floor(leave), NEVER).astype(np.int64)
    exit_day = np.minimum(death, leave)
    exit_reason = np.where(exit_day == NEVER, 0, np.where(death <= leave, 1, 2))

    # Up to two practice transfers and two address moves within the period.
    events_person, events_day, events_kind = [np.arange(n)], [entry], [np.zeros(n, np.int8)]
    for kind, rate in ((1, pop_cfg["transfer_rate"] * turnover_rr), (2, pop_cfg["address_move_rate"])):
        t = clock.astype(float)
        for _ in range(2):
            # at least a day after the registration (or the previous event): a same-day transfer would leave an
            # empty registration behind
            t = np.maximum(t + _exp(rng, rate, n), np.floor(t) + 1)
            ok = t < np.minimum(exit_day, end)
            events_person.append(np.flatnonzero(ok))
            events_day.append(np.floor(t[ok]).astype(np.int64))
            events_kind.append(np.full(ok.sum(), kind, np.int8))
    ev_person = np.concatenate(events_person)
    ev_day = np.concatenate(events_day)
    ev_kind = np.concatenate(events_kind)
    order = np.lexsort((ev_kind, ev_day, ev_person))
    ev_person, ev_day, ev_kind = ev_person[order], ev_day[order], ev_kind[order]

    # The practice after each event: entry -> first practice; transfer -> a new one; move -> unchanged.
    assigned = np.where(ev_kind == 0, practice[ev_person], -1)
    transfer = np.flatnonzero(ev_kind == 1)
    assigned[transfer] = _new_practice(world, practice[ev_person[transfer]], rng)
    last_assigned = np.maximum.accumulate(np.where(ev_kind != 2, np.arange(len(ev_kind)), 0))
    ev_practice = assigned[last_assigned]
    # Transfers chain: the practice a second transfer leaves is the one the first joined, handled by the
    # forward fill above; a transfer's own new practice must differ from the one before it.
    prev_practice = np.concatenate([[-1], ev_practice[:-1]])
    clash = (ev_kind == 1) & (ev_practice == prev_practice)
    ev_practice[clash] = _new_practice(world, ev_practice[clash], rng)

    ev_lsoa = np.where(ev_kind == 0, lsoa0[ev_person], sample_lsoa(world, ev_practice, rng))
    next_same = np.concatenate([ev_person[1:] == ev_person[:-1], [False]])
    seg_end = np.where(next_same, np.concatenate([ev_day[1:], [0]]), exit_day[ev_person])
    addresses = Segments(ev_person, ev_day, seg_end, ev_lsoa)

    is_stint = ev_kind != 2
    s_person, s_start, s_practice = ev_person[is_stint], ev_day[is_stint], ev_practice[is_stint]
    s_next = np.concatenate([s_person[1:] == s_person[:-1], [False]])
    s_end = np.where(s_next, np.concatenate([s_start[1:], [0]]), exit_day[s_person])
    s_reason = np.where(s_next, 3, exit_reason[s_person])
    stints = Segments(s_person, s_start, s_end, s_practice, s_reason)

    letters = _ethnicity(config, world, practice, rng)
    return Population(
        n=n,
        sex_female=rng.random(n) < pop_cfg["female_share"],
        birth=birth,
        death=death,
        ethnicity=letters,
        entry=entry,
        exit=exit_day,
        stints=stints,
        addresses=addresses,
        is_birth=is_birth,
        reg_type=np.zeros(n, np.int8),
        test_names=np.full((n, 3), None, dtype=object),
        is_test=np.zeros(n, bool),
        skid=pseudonyms(rng, n),
    )


def pseudonyms(rng: np.random.Generator, n: int) -> np.ndarray:
    words = rng.integers(0, 2**63, (n, 2), dtype=np.int64)
    return np.array([f"{a:016x}{b:016x}" for a, b in words.tolist()], dtype=object)


def _new_practice(world: World, current: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A practice to move to: 70% in the same borough (by list size), otherwise anywhere in NEL."""
    sizes = world.practice_list_size.astype(float)
    same_borough = rng.random(len(current)) < 0.7
    target = rng.choice(world.n_practices, len(current), p=sizes / sizes.sum())
    for b in np.unique(world.practice_borough[current]):
        members = np.flatnonzero(world.practice_borough == b)
        rows = np.flatnonzero(same_borough & (world.practice_borough[current] == b))
        if len(rows):
            target[rows] = rng.choice(members, len(rows), p=sizes[members] / sizes[members].sum())
    stuck = target == current
    target[stuck] = (current[stuck] + 1 + rng.integers(0, max(1, world.n_practices - 1), stuck.sum())) % max(
        1, world.n_practices
    )
    return target


def _ethnicity(config: dict, world: World, practice: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    mixes = config["population"]["ethnicity_by_borough"]
    letters = np.empty(len(practice), np.int8)
    borough = world.practice_borough[practice]
    for b, code in enumerate(world.borough_codes):
        rows = np.flatnonzero(borough == b)
        mix = mixes[code]
        p = np.array([mix.get(letter, 0.0) for letter in ETHNIC_LETTERS[:-1]], float)
        letters[rows] = rng.choice(len(p), len(rows), p=p / p.sum())
    return letters
