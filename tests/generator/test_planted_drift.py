"""The planted practice drift is recoverable from the raw files: each practice's BP control moves from year to year
by the offsets ground_truth.json lists (drift_by_year), and a world without them would not explain the output.

Per practice and QOF year (readings of patients on the hypertension register, practices outside the BP project),
the observed share of readings at target is compared with what was planted: the quintile rate plus the practice's
fixed level, its drift that year and the season. Year-to-year changes within a practice remove the fixed parts.
"""

from __future__ import annotations

import math

from planted import BP_READINGS, Z


def _practice_years(x) -> list[tuple]:
    planted = x.truth["config"]["hypertension"]["control_by_quintile"]
    quintile_rate = " ".join(f"when {q + 1} then {v}" for q, v in enumerate(planted))
    return x.sql(f"""
        with r as ({BP_READINGS}),
        readings as (
            select r.ods_code, dr.year_start,
                   case when sbp <= case when is_80_plus then 150 else 140 end and dbp <= 90 then 1.0 else 0.0 end
                       as ok,
                   case r.q {quintile_rate} end + e.hyp as fixed_part,
                   r.drift_bp
            from r
            join practice_effect e using (ods_code)
            join practice_drift dr on dr.ods_code = r.ods_code and r.d >= dr.year_start and r.d < dr.year_end
            where r.ods_code not in (select ods_code from project_practice where project_id = 'QI-BP-01')
              and r.d < date '2026-04-01'
        )
        select ods_code, year_start, count(*), avg(ok), avg(fixed_part + drift_bp), avg(fixed_part)
        from readings group by all order by ods_code, year_start
    """)


def _year_on_year(rows: list[tuple]) -> list[tuple[float, float, float, float]]:
    """(observed change, planted change with drift, planted change without drift, SE) for consecutive years."""
    out = []
    for a, b in zip(rows, rows[1:]):
        if a[0] != b[0]:
            continue
        se = math.sqrt(a[4] * (1 - a[4]) / a[2] + b[4] * (1 - b[4]) / b[2])
        out.append((b[3] - a[3], b[4] - a[4], b[5] - a[5], se))
    return out


def test_bp_control_drift_is_recovered_from_the_raw_files(x):
    changes = _year_on_year(_practice_years(x))
    n = len(changes)
    assert n >= 200  # 29 practices x 9 year pairs
    # the observed year-on-year changes follow the planted ones: weighted least squares slope through 0
    weights = [1 / se**2 for *_, se in changes]
    sxx = sum(w * planted**2 for w, (_, planted, _, _) in zip(weights, changes, strict=True))
    slope = sum(w * obs * planted for w, (obs, planted, _, _) in zip(weights, changes, strict=True)) / sxx
    slope_se = 1 / math.sqrt(sxx)
    print(f"slope {slope:.3f} (se {slope_se:.3f}) over {n} practice-year changes")
    assert slope_se < 0.15 and abs(slope - 1) <= Z * slope_se
    # what is left is sampling noise: standardised residuals have mean square 1 (chi-square / n, sd sqrt(2 / n))
    with_drift = sum(((obs - planted) / se) ** 2 for obs, planted, _, se in changes) / n
    without_drift = sum(((obs - fixed) / se) ** 2 for obs, _, fixed, se in changes) / n
    print(f"mean squared z: with the planted drift {with_drift:.2f}, without it {without_drift:.2f}")
    assert abs(with_drift - 1) <= Z * math.sqrt(2 / n)
    # and the drift is there: without it, more is left than sampling noise (a driftless world would give 1)
    assert without_drift > 1 + Z * math.sqrt(2 / n)


def test_drift_is_in_the_truth_with_its_configured_size(x):
    truth = x.truth
    spec = truth["config"]["practice_variation"]["bp_control"]
    years = truth["drift_years"]
    assert years[0] == "2010-04-01" and years[-1] == "2025-04-01"
    anchor = years.index("2016-04-01")  # the walk is 0 in the extract window's first year
    steps = []
    for practice in truth["practices"]:
        offsets = practice["drift_by_year"]["bp_control"]
        assert len(offsets) == len(years)
        assert abs(offsets[anchor]) <= 5 * spec["shock_sd"]  # the year's shock alone
        steps += [b - a for a, b in zip(offsets, offsets[1:])]
    # a year-on-year step is a walk step plus the difference of two shocks
    expected_sd = math.sqrt(spec["walk_sd"] ** 2 + 2 * spec["shock_sd"] ** 2)
    observed_sd = math.sqrt(sum(s * s for s in steps) / len(steps))
    assert abs(observed_sd / expected_sd - 1) <= Z * math.sqrt(1 / (2 * len(steps)))
