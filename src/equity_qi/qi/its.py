"""Controlled interrupted time series: the second design behind a QI project's verdict.

The series is the monthly difference d_t between the project's intervention practices and its comparison practices
(pooled) of the level, the end-quintile gap and the SII, from the first month of the monthly history to the
project's end. Segmented regression (as in Hategeka et al., BMJ 2023;380:e072098, and Bernal, Cummins and Gasparrini
2017, Int J Epidemiol 46(1)):

    d_t = b0 + b1 t + b2 post_t + b3 t post_t + e_t,   t = months from the start (0 = the first month end after it)

and the effect is the follow-up window's mean departure from the extrapolated pre-project line,
b2 + b3 mean(t over the follow-up months): the same question the difference in differences answers, from the
whole series instead of two windows. statsmodels fits it with Newey-West (HAC) errors, maxlags
floor(4 (T / 100)^(2/9)), small-sample corrected, t-based.

HAC errors assume many time points and a stationary error; over 36 to 72 months of series that drift from practice
to practice they cover far too rarely (tests/qi/test_its.py measures it on simulated series). So the effect is judged,
like the difference in differences, by placebo inference: the same fit for disjoint practice sets of the project's
sizes drawn from the practices that ran no such project, whose spread holds the drift of real practices
(placebo.py). The fit is linear in d, effect = w . d with w = c' (X'X)^-1 X', which is what lets a thousand placebo
fits take a matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm

from equity_qi.qi.placebo import practice_rows, set_memberships, statistics, summarise


@dataclass(frozen=True)
class MonthlySums:
    """Per practice (axis 0), month (axis 1, in time order) and subgroup (axis 2: 0 = all patients, 1..5 = IMD
    quintile): the denominator n and the numerator (sum of outcomes)."""

    practices: list[str]
    n: np.ndarray
    total: np.ndarray

    def rows(self, practices: list[str]) -> np.ndarray:
        return practice_rows(self.practices, practices)


@dataclass(frozen=True)
class Design:
    """The segmented regression's design matrix (T, 4) and the contrast c (4,) whose estimate is the effect."""

    x: np.ndarray
    contrast: np.ndarray
    n_pre: int
    n_post: int

    @property
    def weights(self) -> np.ndarray:
        """w (T,) with effect = w . d: c' (X'X)^-1 X'."""
        return self.contrast @ np.linalg.pinv(self.x)

    @property
    def hac_maxlags(self) -> int:
        return int(np.floor(4 * (len(self.x) / 100) ** (2 / 9)))


def design(months_from_start: np.ndarray, follow_up: np.ndarray) -> Design:
    """The design for months t (0 = the first month end after the start; negative before) and a mask of the
    follow-up window's months."""
    t = np.asarray(months_from_start, float)
    post = (t >= 0).astype(float)
    x = np.column_stack([np.ones_like(t), t, post, post * t])
    contrast = np.array([0.0, 0.0, 1.0, float(t[np.asarray(follow_up, bool)].mean())])
    return Design(x, contrast, int((t < 0).sum()), int((t >= 0).sum()))


@dataclass(frozen=True)
class HacFit:
    effect: float
    se: float
    step: float
    slope_change: float
    df: int


def hac_fit(series: np.ndarray, d: Design) -> HacFit:
    """statsmodels OLS of the difference series with Newey-West errors; the effect c'b and its SE."""
    fit = sm.OLS(series, d.x).fit(
        cov_type="HAC", cov_kwds={"maxlags": d.hac_maxlags, "use_correction": True}, use_t=True
    )
    effect = float(d.contrast @ fit.params)
    se = float(np.sqrt(d.contrast @ fit.cov_params() @ d.contrast))
    return HacFit(effect, se, float(fit.params[2]), float(fit.params[3]), int(fit.df_resid))


@dataclass(frozen=True)
class ItsResult:
    fits: list[HacFit | None]  # per measure (level, gap, sii): None when a month of the series is not computable
    placebo_mean: np.ndarray
    placebo_sd: np.ndarray
    placebo_lower: np.ndarray
    placebo_upper: np.ndarray
    n_draws: np.ndarray
    n_pool: int


def its_inference(
    sums: MonthlySums,
    d: Design,
    intervention: list[str],
    comparison: list[str],
    pool: list[str],
    higher_is_better: bool,
    min_patients: int,
    draws: int,
    seed: int,
    key: str,
) -> ItsResult | None:
    """The project's interrupted time series fits and their placebo distribution (no draws when the pool cannot
    hold two disjoint sets of the project's sizes), or None when a role has no practice in the series."""
    rows_i, rows_c, rows_pool = sums.rows(intervention), sums.rows(comparison), sums.rows(pool)
    k_i, k_c = len(rows_i), len(rows_c)
    if k_i == 0 or k_c == 0:
        return None

    def monthly(n: np.ndarray, total: np.ndarray) -> np.ndarray:
        return statistics(n, total, higher_is_better, min_patients)  # (..., T, 3)

    series = monthly(sums.n[rows_i].sum(axis=0), sums.total[rows_i].sum(axis=0)) - monthly(
        sums.n[rows_c].sum(axis=0), sums.total[rows_c].sum(axis=0)
    )
    fits = [None if np.isnan(series[:, m]).any() else hac_fit(series[:, m], d) for m in range(3)]
    if len(rows_pool) < k_i + k_c:
        nan = np.full(3, np.nan)
        return ItsResult(fits, nan, nan, nan, nan, np.zeros(3, dtype=np.int64), len(rows_pool))

    first, second = set_memberships(len(rows_pool), k_i, k_c, draws, seed, key)
    shape = sums.n.shape[1:]
    n_pool = sums.n[rows_pool].reshape(len(rows_pool), -1)
    total_pool = sums.total[rows_pool].reshape(len(rows_pool), -1)

    def pooled(membership: np.ndarray) -> np.ndarray:
        return monthly((membership @ n_pool).reshape(draws, *shape), (membership @ total_pool).reshape(draws, *shape))

    placebo_series = pooled(first) - pooled(second)  # (draws, T, 3); a NaN month leaves that draw's effect NaN
    effects = np.einsum("t,dtm->dm", d.weights, placebo_series)
    mean, sd, lower, upper, n_draws = summarise(effects)
    return ItsResult(fits, mean, sd, lower, upper, n_draws, len(rows_pool))
