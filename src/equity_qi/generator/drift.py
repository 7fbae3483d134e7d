"""Practice-level drift: real practices' coverage and recording move from year to year for reasons unrelated to any
QI project (staff changes, a new recall system, a lost nurse). Each practice gets, per planted quantity, a random
walk over years (persistent changes) plus an independent shock each year (one-off changes), both mean 0, on top of
its fixed level (the `practice_effect_sd` offsets). Without drift, a null world flatters any interval that treats
patients as independent; with it, placebo projects show what practice-level noise does to a verdict.

Years are 12-month steps starting in the month the extract window starts (April: QOF years), from the start of the
clinical history; the walk is anchored at 0 in the year the extract window starts, so a practice's level there is
its fixed offset alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .config import from_day, to_day

YEAR = 365.25
QUANTITIES = ("bp_control", "cervical_attendance", "hba1c_mean")


@dataclass
class PracticeDrift:
    first_month: np.datetime64  # the month the first drift year starts in
    anchor_year: int  # the year index the walk is 0 in (the extract window's first year)
    offsets: dict[str, np.ndarray]  # quantity -> (practices, years): walk + shock

    @property
    def n_years(self) -> int:
        return next(iter(self.offsets.values())).shape[1]

    def year_of(self, day: np.ndarray) -> np.ndarray:
        months = (np.asarray(day).astype("datetime64[D]").astype("datetime64[M]") - self.first_month).astype(np.int64)
        return np.clip(months // 12, 0, self.n_years - 1)

    def at(self, quantity: str, practice: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The drift of `quantity` at each (practice, day)."""
        return self.offsets[quantity][practice, self.year_of(day)]

    def year_starts(self) -> list[str]:
        return [str((self.first_month + 12 * k).astype("datetime64[D]")) for k in range(self.n_years)]


def build_drift(config: dict[str, Any], n_practices: int, seed: int) -> PracticeDrift:
    """Draw every practice's drift from its own random stream, so that the rest of the world stays as it was."""
    rng = np.random.default_rng([seed, 7])
    period = config["period"]
    start = np.datetime64(from_day(to_day(period["start"])), "M")
    end = np.datetime64(from_day(to_day(period["end"])), "M")
    anchor = int(np.ceil(period["history_years"]))
    first = start - 12 * anchor
    n_years = int((end - first).astype(np.int64) // 12) + 1
    offsets = {}
    for quantity in QUANTITIES:
        spec = config["practice_variation"][quantity]
        walk = np.cumsum(rng.normal(0.0, spec["walk_sd"], (n_practices, n_years)), axis=1)
        shock = rng.normal(0.0, spec["shock_sd"], (n_practices, n_years))
        offsets[quantity] = walk - walk[:, [anchor]] + shock
    return PracticeDrift(first_month=first, anchor_year=anchor, offsets=offsets)


def winter_dip(day: np.ndarray, amplitude: float) -> np.ndarray:
    """A seasonal offset, -amplitude in mid-January and +amplitude in mid-July (blood pressure runs higher in
    winter, so fewer readings are at target)."""
    dates = np.asarray(day).astype("datetime64[D]")
    day_of_year = (dates - dates.astype("datetime64[Y]")).astype(np.int64)
    return -amplitude * np.cos(2 * np.pi * (day_of_year - 15) / YEAR)
