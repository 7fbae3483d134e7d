"""What every clinical process of one chunk needs: the people, their practice and address at a date, and
the builders that collect observation and medication rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .codes import Codes
from .concepts import CodePool
from .config import to_day
from .events import RowBuilder
from .population import NEVER, YEAR, Population
from .world import World

UNITS = ("mmHg", "mm Hg", "mm[Hg]", "mmol/mol", "mmol/mol Hb", "%", "per cent", "DCCT %", "kg/m2")
UNIT = {u: i for i, u in enumerate(UNITS)}
SNOMED_SWITCH = to_day("2018-04-01")  # GP systems record SNOMED CT natively from here on


class Kind:
    """Observation kinds, kept beside each row so dirt can target the right rows."""

    HTN_DX, HTN_RES, HTN_PCA, BP_PARENT, BP_SYS, BP_DIA = range(6)
    DM_DX, HBA1C, FRAIL = range(6, 9)
    SMEAR, CS_DECLINE, CS_NO_RESPONSE, HYSTERECTOMY = range(9, 13)
    IMMUNISATION, ETHNICITY, SMOKING, BMI = range(13, 17)


@dataclass
class Chunk:
    config: dict[str, Any]
    world: World
    codes: Codes
    pop: Population
    rng: np.random.Generator
    start: int  # first day of the period
    extract: int  # extract day (the day after the period ends)
    history: int  # first day of generated history
    obs: RowBuilder = field(default_factory=RowBuilder)
    meds: RowBuilder = field(default_factory=RowBuilder)
    truth: dict[str, Any] = field(default_factory=dict)

    @property
    def last(self) -> np.ndarray:
        """Per person: the day after their last day in the extract (exit or extract date)."""
        return np.minimum(self.pop.exit, self.extract)

    @property
    def observed_from(self) -> np.ndarray:
        """Per person: first day routine events are generated (registration, but not before the history)."""
        return np.maximum(self.pop.entry, self.history)

    def practice_at(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        stints = self.pop.stints
        return stints.value[stints.lookup(person, day)]

    def lsoa_at(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        addresses = self.pop.addresses
        return addresses.value[addresses.lookup(person, day)]

    def quintile_at(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        return self.world.lsoas.imd_quintile[self.lsoa_at(person, day)]

    def quintile_at_entry(self) -> np.ndarray:
        return self.quintile_at(np.arange(self.pop.n), self.pop.entry)

    def age_at(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        return (day - self.pop.birth[person]) / YEAR

    def ages_to_day(self, person: np.ndarray, age: np.ndarray | float) -> np.ndarray:
        return self.pop.birth[person] + np.floor(np.asarray(age) * YEAR).astype(np.int64)

    def record(
        self, kind: int, person: np.ndarray, day: np.ndarray, pool: CodePool, legacy: bool | None = None, **cols: Any
    ) -> int:
        """Add observation rows coded from `pool` as the person's practice would have recorded them."""
        practice = self.practice_at(person, day)
        era = np.full(len(day), legacy) if legacy is not None else day < SNOMED_SWITCH
        core, non_core = pool.pick(self.rng, era, self.world.practice_is_tpp[practice])
        return self.obs.add(person, day, core=core, non_core=non_core, kind=np.full(len(day), kind), **cols)

    def project_effect(self, area: str, person: np.ndarray, day: np.ndarray, effect_of: Any) -> np.ndarray:
        """Sum of QI project effects in force at (person, day); `effect_of(project, rows)` gives each row's."""
        total = np.zeros(len(day))
        if not len(day):
            return total
        practice = self.practice_at(person, day)
        for project in self.world.projects:
            if project["clinical_area"] != area or not project["planted"]:
                continue
            # each practice's own start day (they differ when the project is staggered)
            start_of = np.full(self.world.n_practices, NEVER)
            start_of[project["practices"]] = project["practice_start_days"]
            rows = np.flatnonzero(day >= start_of[practice])
            total[rows] += effect_of(project, person[rows], day[rows])
        return total

    def window(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(person, lo, hi) for people whose interval [lo, hi) is not empty."""
        keep = np.flatnonzero(hi > lo)
        return keep, lo[keep], hi[keep]


def uniform_days(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    return np.floor(low + rng.random(n) * (high - low)).astype(np.int64)


def capped(day: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """NEVER where the day is at or after the limit."""
    return np.where(day < limit, day, NEVER)
