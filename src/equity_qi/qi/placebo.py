"""Placebo (randomisation) inference for a QI project's difference in differences, at practice level.

A project compares its intervention practices I with comparison practices C. Patient-level standard errors treat
every patient as independent, but real practices drift from year to year for reasons unrelated to any project, so
with a handful of practices a difference in differences can be far from 0 with no effect at all. Placebo inference
measures that noise directly: it draws many pairs of disjoint practice sets (S1, S2) of the same sizes as (I, C) from
the practices that ran no such project, computes the same statistic for S1 against S2, and uses the spread of these
placebo effects (which hold both sets' drift and sampling noise, and no effect) as the estimator's standard error.
With few treated clusters this is the standard remedy where cluster-robust errors under-cover (Conley and Taber
2011, "Inference with 'difference in differences' with a small number of policy changes", Rev Econ Stat 93(1);
MacKinnon and Webb 2020, "Randomization inference for difference-in-differences with few treated clusters",
J Econometrics 218(2)).

Every statistic is computed from practice sums (patients n, sum and sum of squares of their outcomes) per IMD
quintile, so a set of practices is pooled by adding rows: level = the all-patient mean; gap = the end quintiles'
difference, oriented so that positive = the most deprived worse off; SII = PHE's weighted least-squares slope of
the quintile means on the ridit (value type 0), fitted(least deprived) - fitted(most deprived). A quintile with fewer
than `min_patients` patients is unusable (the gap needs both end quintiles, the SII all five), as in the SQL.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

MEASURES = ("level", "gap", "sii")


@dataclass(frozen=True)
class PracticeSums:
    """Per practice (rows) and subgroup (columns 0 = all patients, 1..5 = IMD quintile): n, sum, sum of squares."""

    practices: list[str]
    n: np.ndarray
    total: np.ndarray
    squares: np.ndarray

    def rows(self, practices: list[str]) -> np.ndarray:
        index = {p: i for i, p in enumerate(self.practices)}
        return np.array([index[p] for p in practices if p in index], dtype=np.int64)


def statistics(n: np.ndarray, total: np.ndarray, higher_is_better: bool, min_patients: int) -> np.ndarray:
    """(level, gap, sii) for pooled sums with shape (..., 6); NaN where a statistic cannot be computed."""
    n = np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.asarray(total, float) / np.where(n > 0, n, 1), np.nan)
    level = mean[..., 0]
    quintile_n, quintile_mean = n[..., 1:], mean[..., 1:]
    usable = quintile_n >= min_patients
    gap = np.where(
        usable[..., 0] & usable[..., 4],
        (quintile_mean[..., 4] - quintile_mean[..., 0]) * (1 if higher_is_better else -1),
        np.nan,
    )
    share = quintile_n / np.maximum(quintile_n.sum(axis=-1, keepdims=True), 1)
    ridit = np.cumsum(share, axis=-1) - share / 2
    ridit_mean = (share * ridit).sum(axis=-1, keepdims=True)
    value_mean = (share * np.nan_to_num(quintile_mean)).sum(axis=-1, keepdims=True)
    sxy = (share * (ridit - ridit_mean) * (np.nan_to_num(quintile_mean) - value_mean)).sum(axis=-1)
    sxx = (share * (ridit - ridit_mean) ** 2).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sii = np.where(usable.all(axis=-1) & (sxx > 0), sxy / sxx, np.nan)
    return np.stack([level, gap, sii], axis=-1)


@dataclass(frozen=True)
class PlaceboResult:
    estimate: np.ndarray  # (3,) I against C from the practice sums
    placebo_mean: np.ndarray  # (3,)
    placebo_sd: np.ndarray  # (3,)
    placebo_lower: np.ndarray  # (3,) 2.5% quantile of the placebo effects
    placebo_upper: np.ndarray  # (3,) 97.5% quantile
    n_draws: np.ndarray  # (3,) placebo effects that could be computed
    n_pool: int


def placebo_inference(
    sums: PracticeSums,
    intervention: list[str],
    comparison: list[str],
    pool: list[str],
    higher_is_better: bool,
    min_patients: int,
    draws: int,
    seed: int,
    key: str,
) -> PlaceboResult | None:
    """The placebo distribution of the project's difference in differences, or None when the pool cannot hold two
    disjoint sets of the project's sizes or a role has no practice with patients."""
    rows_i, rows_c, rows_pool = sums.rows(intervention), sums.rows(comparison), sums.rows(pool)
    k_i, k_c = len(rows_i), len(rows_c)
    if k_i == 0 or k_c == 0 or len(rows_pool) < k_i + k_c:
        return None

    def pooled(rows: np.ndarray) -> np.ndarray:
        return statistics(sums.n[rows].sum(axis=0), sums.total[rows].sum(axis=0), higher_is_better, min_patients)

    estimate = pooled(rows_i) - pooled(rows_c)
    # deterministic per project: the same build gives the same intervals
    rng = np.random.default_rng([seed, zlib.crc32(key.encode())])
    order = np.argsort(rng.random((draws, len(rows_pool))), axis=1)
    membership = np.zeros((draws, len(rows_pool)))
    np.put_along_axis(membership, order[:, :k_i], 1.0, axis=1)
    comparison_membership = np.zeros((draws, len(rows_pool)))
    np.put_along_axis(comparison_membership, order[:, k_i : k_i + k_c], 1.0, axis=1)
    n_pool, total_pool = sums.n[rows_pool], sums.total[rows_pool]
    effects = statistics(membership @ n_pool, membership @ total_pool, higher_is_better, min_patients) - statistics(
        comparison_membership @ n_pool, comparison_membership @ total_pool, higher_is_better, min_patients
    )
    valid = ~np.isnan(effects)
    n_draws = valid.sum(axis=0)
    with np.errstate(invalid="ignore"):
        mean = np.array([effects[valid[:, m], m].mean() if n_draws[m] else np.nan for m in range(3)])
        sd = np.array([effects[valid[:, m], m].std(ddof=1) if n_draws[m] > 1 else np.nan for m in range(3)])
        lower = np.array([np.quantile(effects[valid[:, m], m], 0.025) if n_draws[m] else np.nan for m in range(3)])
        upper = np.array([np.quantile(effects[valid[:, m], m], 0.975) if n_draws[m] else np.nan for m in range(3)])
    return PlaceboResult(estimate, mean, sd, lower, upper, n_draws, len(rows_pool))
