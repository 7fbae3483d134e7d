"""Placebo inference for QI projects (src/equity_qi/qi/placebo.py): its statistics on worked examples, and the
method's calibration in simulated null worlds with practice drift, where patient-level intervals fail.

The simulation is the realistic null of issue 14 in miniature: 40 practices, each with patients in five IMD quintiles,
whose within-patient change has a practice-level drift (shared by the practice's patients) on top of patient noise,
and no project effect anywhere. Many placebo "projects" of 4 + 4 practices are evaluated both ways.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from equity_qi.qi.placebo import (
    PracticeSums,
    evaluation_roles,
    placebo_inference,
    practice_rows,
    statistics,
    treated_practices,
)

Z95 = 1.959963984540054


def _phe_sii(means: list[float], n: list[float]) -> float:
    """PHE SII (value type 0): the weighted least-squares slope of the quintile value on the ridit, weights =
    population shares (metrics.md section 1.7), written out independently of the module."""
    total = sum(n)
    shares = [k / total for k in n]
    ridits = [sum(shares[:i]) + shares[i] / 2 for i in range(5)]
    b_mean = sum(a * b for a, b in zip(shares, ridits, strict=True))
    y_mean = sum(a * y for a, y in zip(shares, means, strict=True))
    sxy = sum(a * (b - b_mean) * (y - y_mean) for a, b, y in zip(shares, ridits, means, strict=True))
    sxx = sum(a * (b - b_mean) ** 2 for a, b in zip(shares, ridits, strict=True))
    return sxy / sxx


def test_statistics_on_a_worked_example():
    # quintile means 0.5, 0.6, 0.6, 0.7, 0.8 with 100, 200, 200, 100, 50 patients; all patients = the pooled mean
    n = np.array([650, 100, 200, 200, 100, 50], float)
    means = [0.5, 0.6, 0.6, 0.7, 0.8]
    sums = [m * k for m, k in zip(means, n[1:], strict=True)]
    total = np.array([sum(sums), *sums])
    level, gap, sii = statistics(n, total, higher_is_better=True, min_patients=10)
    assert level == pytest.approx(400 / 650)  # (50 + 120 + 120 + 70 + 40) / 650
    assert gap == pytest.approx(0.8 - 0.5)  # least minus most deprived when higher is better
    assert sii == pytest.approx(_phe_sii(means, list(n[1:])), rel=1e-12)
    # by hand: ridits 1/13, 4/13, 8/13, 11/13, 25/26; sum a(b - 1/2)(y - 8/13) = 0.018935, sum a(b - 1/2)^2 = 0.077834
    assert sii == pytest.approx(0.018935 / 0.077834, rel=1e-4)
    # lower is better: the gap is most minus least deprived; the SII is not oriented
    _, gap_low, sii_low = statistics(n, total, higher_is_better=False, min_patients=10)
    assert gap_low == pytest.approx(0.5 - 0.8) and sii_low == pytest.approx(sii)


def test_statistics_need_the_minimum_patients():
    n = np.array([100, 9, 30, 30, 21, 10], float)
    total = n * 0.5
    level, gap, sii = statistics(n, total, True, min_patients=10)
    assert level == pytest.approx(0.5)
    assert math.isnan(gap) and math.isnan(sii)  # quintile 1 has 9 patients
    n[1] = 10
    assert not np.isnan(statistics(n, n * 0.5, True, 10)).any()


def _world(rng: np.random.Generator, practices: int, drift_sd: float, patients: int = 300, noise_sd: float = 0.5,
           effect: float = 0.0, treated: tuple[int, ...] = ()) -> PracticeSums:
    """Practice sums of a within-patient change: practice drift (one draw per practice, shared by its patients) +
    patient noise, quintile mix varying by practice; `effect` added for the treated practices' patients."""
    codes = [f"P{i:03d}" for i in range(practices)]
    n = np.zeros((practices, 6))
    total = np.zeros((practices, 6))
    squares = np.zeros((practices, 6))
    for p in range(practices):
        mix = rng.dirichlet(np.ones(5) * 2)
        counts = rng.multinomial(patients, mix)
        drift = rng.normal(0, drift_sd)
        for q in range(5):
            values = drift + (effect if p in treated else 0.0) + rng.normal(0, noise_sd, counts[q])
            n[p, q + 1], total[p, q + 1], squares[p, q + 1] = counts[q], values.sum(), (values**2).sum()
        n[p, 0], total[p, 0], squares[p, 0] = n[p, 1:].sum(), total[p, 1:].sum(), squares[p, 1:].sum()
    return PracticeSums(codes, n, total, squares)


def _patient_se(sums: PracticeSums, rows: list[int]) -> float:
    n, total, squares = (a[rows, 0].sum() for a in (sums.n, sums.total, sums.squares))
    variance = (squares - total**2 / n) / (n - 1)
    return math.sqrt(variance / n)


def _coverage(drift_sd: float, projects: int, seed: int) -> tuple[float, float]:
    """Share of null projects (4 + 4 practices, no effect) whose level interval covers 0: placebo and patient."""
    rng = np.random.default_rng(seed)
    covered_placebo = covered_patient = 0
    for k in range(projects):
        sums = _world(rng, 40, drift_sd)
        order = rng.permutation(40)
        intervention = [sums.practices[i] for i in order[:4]]
        comparison = [sums.practices[i] for i in order[4:8]]
        pool = [sums.practices[i] for i in order[8:]]
        result = placebo_inference(sums, intervention, comparison, pool, True, 10, 199, seed, f"null{k}")
        effect = result.estimate[0]
        se_patient = math.hypot(_patient_se(sums, list(order[:4])), _patient_se(sums, list(order[4:8])))
        se = max(result.placebo_sd[0], se_patient)
        covered_placebo += abs(effect) <= Z95 * se
        covered_patient += abs(effect) <= Z95 * se_patient
    return covered_placebo / projects, covered_patient / projects


def test_placebo_intervals_hold_in_a_drifting_null_world_where_patient_intervals_fail():
    projects = 300
    placebo, patient = _coverage(drift_sd=0.05, projects=projects, seed=5)
    # binomial tolerance at 300 projects: sd of a 95% coverage is 1.3 points
    print(f"coverage of 0 by 95% intervals with drift: placebo {placebo:.3f}, patient-level {patient:.3f}")
    assert placebo >= 0.95 - 3 * math.sqrt(0.95 * 0.05 / projects)
    assert patient < 0.70  # patient-level intervals call practice drift an effect


def test_placebo_intervals_are_not_too_wide_without_drift():
    projects = 200
    placebo, patient = _coverage(drift_sd=0.0, projects=projects, seed=6)
    print(f"coverage without drift: placebo {placebo:.3f}, patient-level {patient:.3f}")
    bound = 3 * math.sqrt(0.95 * 0.05 / projects)
    assert abs(patient - 0.95) <= bound and abs(placebo - 0.95) <= bound + 0.02


def test_placebo_detects_a_real_effect_and_is_reproducible():
    rng = np.random.default_rng(11)
    sums = _world(rng, 40, drift_sd=0.02, effect=0.3, treated=(0, 1, 2, 3))
    codes = sums.practices
    args = (sums, codes[:4], codes[4:8], codes[8:], True, 10, 299, 1, "QI-X")
    first, second = placebo_inference(*args), placebo_inference(*args)
    assert first.estimate[0] - Z95 * first.placebo_sd[0] > 0  # 0.3 against noise of about 0.05
    assert first.estimate[0] == pytest.approx(0.3, abs=0.15)
    np.testing.assert_array_equal(first.placebo_sd, second.placebo_sd)
    assert first.n_pool == 32 and (first.n_draws == 299).all()


def test_no_placebo_inference_without_room_for_two_sets():
    sums = _world(np.random.default_rng(1), 12, drift_sd=0.02)
    codes = sums.practices
    assert placebo_inference(sums, codes[:4], codes[4:8], codes[8:], True, 10, 99, 1, "small") is None  # 4 < 8
    assert placebo_inference(sums, codes[:4], [], codes[4:], True, 10, 99, 1, "no comparison") is None
    assert placebo_inference(sums, codes[:2], codes[2:4], codes[4:], True, 10, 99, 1, "fits") is not None


def test_a_cross_sectional_change_is_follow_up_minus_baseline_for_projects_and_placebos():
    """For an age-defined cohort (no patient in both windows) the change is each set's follow-up statistic minus its
    baseline one. Follow-up = baseline plus 0.2 in every quintile of the intervention practices: the level effect is
    0.2 exactly, the gap's 0, and the placebo effects, whose sets are unchanged, are all 0."""
    before = _world(np.random.default_rng(21), 20, drift_sd=0.02)
    shift = np.zeros_like(before.total)
    shift[:4] = 0.2 * before.n[:4]
    after = PracticeSums(before.practices, before.n, before.total + shift, before.squares)
    codes = before.practices
    result = placebo_inference(after, codes[:4], codes[4:8], codes[8:], True, 10, 99, 1, "VI", baseline=before)
    assert result.estimate[0] == pytest.approx(0.2, abs=1e-12) and result.estimate[1] == pytest.approx(0, abs=1e-12)
    assert np.abs(result.placebo_mean).max() < 1e-12 and np.abs(result.placebo_sd).max() < 1e-12
    # without the baseline the same sums are read as within-patient changes: the level is the follow-up's difference
    crude = placebo_inference(after, codes[:4], codes[4:8], codes[8:], True, 10, 99, 1, "VI")
    assert crude.estimate[0] != pytest.approx(0.2, abs=1e-3)


def test_practice_rows_index_the_practices_held_in_order() -> None:
    assert practice_rows(["A", "B", "C"], ["C", "X", "A"]).tolist() == [2, 0]
    assert practice_rows(["A"], []).dtype == np.int64


def test_roles_and_treated_practices_come_from_the_evaluation_rows() -> None:
    roles = [("P", "A", "intervention"), ("P", "B", "comparison"), ("Q@2023-04-01", "C", "intervention"),
             ("Q@2023-04-01", "B", "comparison"), ("R", "D", "intervention")]
    assert evaluation_roles(roles, "P") == (["A"], ["B"])
    assert evaluation_roles(roles, "Q@2023-04-01") == (["C"], ["B"])
    assert evaluation_roles(roles, "nothing") == ([], [])
    # R is not an evaluation of the build (no indicator): its practice is not counted
    treated = treated_practices({"P": "HYP008", "Q@2023-04-01": "CS005"}, roles)
    assert treated == {("HYP008", "A"), ("CS005", "C")}
