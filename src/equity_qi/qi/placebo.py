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
from collections.abc import Iterable
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
        return practice_rows(self.practices, practices)


def practice_rows(order: list[str], practices: list[str]) -> np.ndarray:
    """The positions in `order` of the given practices (those it holds), for indexing per-practice arrays."""
    index = {p: i for i, p in enumerate(order)}
    return np.array([index[p] for p in practices if p in index], dtype=np.int64)


def treated_practices(indicator_of: dict[str, str], roles: Iterable[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """(indicator, practice) for every intervention practice of an evaluation in `roles` ((evaluation, practice,
    role) rows): a practice that ran a project on an indicator is no placebo for that indicator."""
    return {
        (indicator_of[evaluation], code)
        for evaluation, code, role in roles
        if role == "intervention" and evaluation in indicator_of
    }


def evaluation_roles(roles: Iterable[tuple[str, str, str]], evaluation_id: str) -> tuple[list[str], list[str]]:
    """An evaluation's intervention and comparison practices from (evaluation, practice, role) rows."""
    members = [(code, role) for evaluation, code, role in roles if evaluation == evaluation_id]
    return (
        [code for code, role in members if role == "intervention"],
        [code for code, role in members if role == "comparison"],
    )


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


def set_memberships(
    n_pool: int, k_first: int, k_second: int, draws: int, seed: int, key: str
) -> tuple[np.ndarray, np.ndarray]:
    """Two (draws, n_pool) 0/1 matrices: in each draw, disjoint sets of k_first and k_second pool members drawn at
    random. Deterministic per key (a project): the same build gives the same intervals."""
    rng = np.random.default_rng([seed, zlib.crc32(key.encode())])
    order = np.argsort(rng.random((draws, n_pool)), axis=1)
    first, second = np.zeros((draws, n_pool)), np.zeros((draws, n_pool))
    np.put_along_axis(first, order[:, :k_first], 1.0, axis=1)
    np.put_along_axis(second, order[:, k_first : k_first + k_second], 1.0, axis=1)
    return first, second


def summarise(effects: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per measure (columns of `effects`, NaN = not computable in that draw): mean, SD, 2.5% and 97.5% quantiles of
    the computable placebo effects, and their number."""
    columns = [effects[~np.isnan(effects[:, m]), m] for m in range(effects.shape[1])]
    nan = float("nan")
    return (
        np.array([c.mean() if len(c) else nan for c in columns]),
        np.array([c.std(ddof=1) if len(c) > 1 else nan for c in columns]),
        np.array([np.quantile(c, 0.025) if len(c) else nan for c in columns]),
        np.array([np.quantile(c, 0.975) if len(c) else nan for c in columns]),
        np.array([len(c) for c in columns]),
    )


def placebo_pool(candidates: list[str], project_practices: list[str], treated_on_indicator: set[str]) -> list[str]:
    """The practices a project's placebo sets are drawn from: those with data that are not the project's own and ran
    no project on the same indicator."""
    own = set(project_practices)
    return [code for code in candidates if code not in own and code not in treated_on_indicator]


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
    baseline: PracticeSums | None = None,
) -> PlaceboResult | None:
    """The placebo distribution of the project's difference in differences, or None when the pool cannot hold two
    disjoint sets of the project's sizes or a role has no practice with patients. `sums` hold the within-patient
    changes; for a cross-sectional change, `sums` hold the follow-up window and `baseline` the baseline window (the
    same practices in the same order), and each set's statistic is its follow-up value minus its baseline value."""
    rows_i, rows_c, rows_pool = sums.rows(intervention), sums.rows(comparison), sums.rows(pool)
    k_i, k_c = len(rows_i), len(rows_c)
    if k_i == 0 or k_c == 0 or len(rows_pool) < k_i + k_c:
        return None

    def change(weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The statistic of the sets weighted by `weights` (sets x rows) over the practices `rows`."""

        def stat(s: PracticeSums) -> np.ndarray:
            return statistics(weights @ s.n[rows], weights @ s.total[rows], higher_is_better, min_patients)

        return stat(sums) if baseline is None else stat(sums) - stat(baseline)

    estimate = change(np.ones((1, k_i)), rows_i)[0] - change(np.ones((1, k_c)), rows_c)[0]
    first, second = set_memberships(len(rows_pool), k_i, k_c, draws, seed, key)
    effects = change(first, rows_pool) - change(second, rows_pool)
    mean, sd, lower, upper, n_draws = summarise(effects)
    return PlaceboResult(estimate, mean, sd, lower, upper, n_draws, len(rows_pool))
