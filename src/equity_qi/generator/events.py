"""Building blocks for clinical events: Poisson processes on intervals and row builders."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .population import YEAR

PRECISION_DAY, PRECISION_MONTH, PRECISION_YEAR = 0, 1, 2


def poisson_events(
    rng: np.random.Generator, person: np.ndarray, start: np.ndarray, end: np.ndarray, rate: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """Event times of a Poisson process with `rate` per year on each interval [start, end)."""
    length = np.maximum(end - start, 0)
    counts = rng.poisson(np.broadcast_to(rate, length.shape) * length / YEAR)
    idx = np.repeat(np.arange(len(person)), counts)
    day = start[idx] + np.floor(rng.random(len(idx)) * length[idx]).astype(np.int64)
    return person[idx], day


@dataclass
class RowBuilder:
    """Accumulates rows of one clinical table as column arrays."""

    columns: dict[str, list[np.ndarray]] = field(default_factory=dict)
    length: int = 0

    def add(self, person: np.ndarray, day: np.ndarray, **cols: np.ndarray) -> int:
        """Append rows (a `parent` column holds builder row indices, -1 for none); returns the builder index
        of the first appended row."""
        n = len(person)
        first = self.length
        values = {"person": person, "day": day, **cols}
        for name in set(self.columns) | set(values):
            if name not in self.columns:
                self.columns[name] = [_missing(name, self.length)] if self.length else []
            self.columns[name].append(np.asarray(values[name]) if name in values else _missing(name, n))
        self.length += n
        return first

    def build(self) -> dict[str, np.ndarray]:
        """Every column, defaults filled in for columns no event set."""
        built = {name: np.concatenate(parts) for name, parts in self.columns.items()}
        for name in _DEFAULTS:
            built.setdefault(name, _missing(name, self.length))
        return built


_DEFAULTS = {
    "value": np.nan,
    "units": -1,
    "parent": -1,
    "precision": PRECISION_DAY,
    "is_problem": False,
    "kind": -1,
    "recorded_lag": 0,
}


def _missing(name: str, n: int) -> np.ndarray:
    default = _DEFAULTS.get(name, -1)
    return np.full(n, default)
