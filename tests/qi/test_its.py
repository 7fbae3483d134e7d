"""The controlled interrupted time series (src/equity_qi/qi/its.py): the design, the linear weights that the placebo
fits use against statsmodels' own fit, a planted effect recovered, and calibration in simulated worlds.

The simulated world: 40 practices, each with monthly rates in five IMD quintiles over 48 months, a practice-level
random walk (drift shared by the practice's quintiles) on top of binomial noise, and no project effect unless one is
planted. Placebo "projects" of 4 + 4 practices are evaluated. Newey-West errors alone call far too many of them
clear; the placebo SD (used by the mart, with the Newey-West SE where larger) holds the nominal rate.
"""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from equity_qi.qi.its import MonthlySums, design, hac_fit, its_inference

Z95 = 1.959963984540054
MONTHS = 48
START = 24  # months before the start


def _months() -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(MONTHS) - START
    return t, t >= MONTHS - START - 12  # the follow-up window: the last 12 months


def test_design_and_contrast():
    t, follow_up = _months()
    d = design(t, follow_up)
    assert d.x.shape == (MONTHS, 4) and d.n_pre == START and d.n_post == MONTHS - START
    assert np.array_equal(d.x[:, 2], (t >= 0).astype(float)) and np.array_equal(d.x[:, 3], np.where(t >= 0, t, 0))
    assert d.contrast.tolist() == [0.0, 0.0, 1.0, 17.5]  # months 12..23 after the start: mean 17.5
    assert d.hac_maxlags == 3  # floor(4 (48 / 100)^(2/9))


def test_the_linear_weights_equal_statsmodels_fit():
    rng = np.random.default_rng(5)
    t, follow_up = _months()
    d = design(t, follow_up)
    series = rng.normal(size=MONTHS) + 0.01 * t
    fit = hac_fit(series, d)
    ols = sm.OLS(series, d.x).fit()
    assert fit.effect == pytest.approx(float(d.weights @ series), abs=1e-12)
    assert fit.effect == pytest.approx(ols.params[2] + 17.5 * ols.params[3], abs=1e-12)
    assert fit.df == MONTHS - 4 and fit.se > 0


def test_a_planted_step_and_slope_change_are_recovered():
    t, follow_up = _months()
    d = design(t, follow_up)
    rng = np.random.default_rng(6)
    series = 0.3 + 0.002 * t + np.where(t >= 0, 0.05 + 0.001 * t, 0) + rng.normal(0, 0.002, MONTHS)
    fit = hac_fit(series, d)
    assert fit.step == pytest.approx(0.05, abs=0.004) and fit.slope_change == pytest.approx(0.001, abs=0.0003)
    assert fit.effect == pytest.approx(0.05 + 0.001 * 17.5, abs=0.004)


def _world(rng: np.random.Generator, practices: int, drift_sd: float, effect: float = 0.0) -> MonthlySums:
    """Monthly n and numerator per practice, month and subgroup (0 = all, 1..5 quintiles); the first 4 practices get
    `effect` added to every quintile's rate from the start."""
    t, _ = _months()
    base = np.array([0.55, 0.6, 0.65, 0.7, 0.75])
    level = rng.normal(0, 0.05, (practices, 1, 1)) + np.cumsum(rng.normal(0, drift_sd, (practices, MONTHS, 1)), axis=1)
    rate = base[None, None, :] + level + (np.arange(practices) < 4)[:, None, None] * (t >= 0)[None, :, None] * effect
    n_q = np.full((practices, MONTHS, 5), 120.0)
    x_q = rng.binomial(n_q.astype(int), np.clip(rate, 0.01, 0.99)).astype(float)
    n = np.concatenate([n_q.sum(axis=2, keepdims=True), n_q], axis=2)
    total = np.concatenate([x_q.sum(axis=2, keepdims=True), x_q], axis=2)
    return MonthlySums([f"P{i:02d}" for i in range(practices)], n, total)


def _clear_shares(drift_sd: float, projects: int, seed: int) -> dict[str, float]:
    """Share of null placebo projects whose level effect reads clear, by Newey-West alone and by the mart's rule."""
    rng = np.random.default_rng(seed)
    t, follow_up = _months()
    d = design(t, follow_up)
    clear = {"hac": 0, "placebo": 0}
    for p in range(projects):
        sums = _world(rng, 40, drift_sd)
        codes = sums.practices
        result = its_inference(sums, d, codes[:4], codes[4:8], codes[8:], True, 10, 199, 1, f"null{p}")
        fit = result.fits[0]
        clear["hac"] += abs(fit.effect) > Z95 * fit.se
        clear["placebo"] += abs(fit.effect) > Z95 * max(result.placebo_sd[0], fit.se)
    return {k: v / projects for k, v in clear.items()}


def test_placebo_holds_the_nominal_rate_in_a_drifting_null_world_where_newey_west_fails():
    shares = _clear_shares(drift_sd=0.01, projects=120, seed=11)
    assert shares["hac"] > 0.25  # Newey-West on 48 drifting months: far above 5 %
    assert shares["placebo"] <= 0.10  # 120 projects: 5 % nominal, binomial upper 97.5 % limit about 10 %


def test_a_planted_effect_is_detected_covered_and_reproducible():
    """Over 30 worlds with a level effect of 0.08 in every quintile of the project's practices: the level is
    detected and its interval covers 0.08 nearly always; the gap (no effect) rarely reads clear."""
    t, follow_up = _months()
    d = design(t, follow_up)
    detected = covered = gap_clear = 0
    worlds = 30
    for w in range(worlds):
        sums = _world(np.random.default_rng(200 + w), 40, drift_sd=0.004, effect=0.08)
        codes = sums.practices
        result = its_inference(sums, d, codes[:4], codes[4:8], codes[8:], True, 10, 199, 1, f"planted{w}")
        level, gap = result.fits[0], result.fits[1]
        se = max(result.placebo_sd[0], level.se)
        detected += level.effect - Z95 * se > 0
        covered += abs(level.effect - 0.08) < Z95 * se
        gap_clear += abs(gap.effect) > Z95 * max(result.placebo_sd[1], gap.se)
    assert detected >= 0.8 * worlds and covered >= 0.85 * worlds and gap_clear <= 0.15 * worlds
    sums = _world(np.random.default_rng(200), 40, drift_sd=0.004, effect=0.08)
    codes = sums.practices
    first = its_inference(sums, d, codes[:4], codes[4:8], codes[8:], True, 10, 199, 1, "planted0")
    again = its_inference(sums, d, codes[:4], codes[4:8], codes[8:], True, 10, 199, 1, "planted0")
    assert first.n_draws.tolist() == [199, 199, 199] and first.n_pool == 32
    assert np.array_equal(first.placebo_sd, again.placebo_sd)


def test_no_placebo_draws_without_room_for_two_sets_and_none_without_a_role():
    rng = np.random.default_rng(13)
    sums = _world(rng, 10, drift_sd=0.004)
    t, follow_up = _months()
    d = design(t, follow_up)
    codes = sums.practices
    small_pool = its_inference(sums, d, codes[:4], codes[4:8], codes[8:], True, 10, 99, 1, "small")
    assert small_pool.fits[0] is not None and small_pool.n_draws.tolist() == [0, 0, 0]
    assert np.isnan(small_pool.placebo_sd).all()
    assert its_inference(sums, d, codes[:4], [], codes[4:], True, 10, 99, 1, "none") is None
