"""Column frames: the in-memory form of a table before it is written.

A frame maps column name to a numpy array. Nulls use sentinels: -1 for ids and concept ids, NEVER for dates
and timestamps, NaN for reals, None in object (text) arrays; `Coded` holds a low-cardinality text column as
indices into a list of categories (-1 = null), which is far cheaper than Python strings at 100M rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .population import NEVER

NULL_TIMESTAMP = NEVER * 86_400


@dataclass
class Coded:
    indices: np.ndarray
    categories: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.indices)

    def take(self, rows: np.ndarray) -> Coded:
        return Coded(self.indices[rows], self.categories)


Frame = dict[str, "np.ndarray | Coded"]


def frame_len(frame: Frame) -> int:
    return len(next(iter(frame.values()))) if frame else 0


def take(frame: Frame, rows: np.ndarray) -> Frame:
    return {k: (v.take(rows) if isinstance(v, Coded) else v[rows]) for k, v in frame.items()}


def concat(frames: list[Frame]) -> Frame:
    frames = [f for f in frames if frame_len(f)]
    if not frames:
        return {}
    out: Frame = {}
    for key, first in frames[0].items():
        parts = [f[key] for f in frames]
        if isinstance(first, Coded):
            out[key] = Coded(np.concatenate([p.indices for p in parts]), first.categories)
        else:
            out[key] = np.concatenate(parts)
    return out


def coded(
    values: list[str | None], n: int, rng: np.random.Generator | None = None, p: list[float] | None = None
) -> Coded:
    """A text column drawn from `values` (None = null) with probabilities `p`, or the single value repeated."""
    categories = tuple(v for v in values if v is not None)
    if rng is None:
        idx = np.full(n, categories.index(values[0]) if values[0] is not None else -1)
        return Coded(idx, categories)
    pick = rng.choice(len(values), n, p=p)
    lookup = np.array([categories.index(v) if v is not None else -1 for v in values])
    return Coded(lookup[pick], categories)
