"""The second design behind each QI project's verdict: a controlled interrupted time series of the monthly
difference between intervention and comparison practices (level, end-quintile gap, SII), segmented regression with
Newey-West errors (statsmodels) and placebo inference over practice sets that ran no such project
(src/equity_qi/qi/its.py explains the method and its references). One row per project and measure; a project whose
series has fewer than min_pre_months month ends before its start, no follow-up month end, or a role without
practices in the series gets no rows (the mart then judges on the difference in differences alone and says so).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from equity_qi.qi.its import MonthlySums, design, its_inference
from equity_qi.qi.placebo import MEASURES, evaluation_roles, placebo_pool, treated_practices

COLUMNS = (
    ("evaluation_id", pa.string()),
    ("measure", pa.string()),
    ("its_effect", pa.float64()),
    ("hac_se", pa.float64()),
    ("step", pa.float64()),
    ("slope_change", pa.float64()),
    ("df_resid", pa.int64()),
    ("placebo_mean", pa.float64()),
    ("placebo_sd", pa.float64()),
    ("placebo_lower", pa.float64()),
    ("placebo_upper", pa.float64()),
    ("n_placebo_draws", pa.int64()),
    ("n_pool_practices", pa.int64()),
    ("n_pre_months", pa.int64()),
    ("n_post_months", pa.int64()),
    ("hac_maxlags", pa.int64()),
)


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _monthly_sums(rows: list[tuple]) -> dict[str, tuple[list[dt.date], MonthlySums]]:
    """Per indicator: its month ends in order and the practices' sums over (practice, month, subgroup)."""
    by_indicator: dict[str, list[tuple]] = {}
    for row in rows:
        by_indicator.setdefault(row[0], []).append(row[1:])
    out = {}
    for indicator_id, cells in by_indicator.items():
        practices = sorted({c[0] for c in cells})
        months = sorted({c[1] for c in cells})
        p_index = {p: i for i, p in enumerate(practices)}
        m_index = {m: i for i, m in enumerate(months)}
        n = np.zeros((len(practices), len(months), 6))
        total = np.zeros_like(n)
        for practice, month, subgroup, count, outcome_sum in cells:
            n[p_index[practice], m_index[month], subgroup] = count
            total[p_index[practice], m_index[month], subgroup] = outcome_sum or 0.0
        out[indicator_id] = (months, MonthlySums(practices, n, total))
    return out


def model(dbt, session):
    dbt.config(materialized="table")
    draws = int(dbt.config.get("placebo_draws"))
    seed = int(dbt.config.get("placebo_seed"))
    min_patients = int(dbt.config.get("min_patients"))
    min_pre_months = int(dbt.config.get("min_pre_months"))
    excludes_treated = str(dbt.config.get("excludes_treated")).lower() in ("true", "1")
    sums = _monthly_sums(
        dbt.ref("int_qi__practice_monthly_sums")
        .project("indicator_id, practice_code, period_end, subgroup_order, n, sum_outcome")
        .fetchall()
    )
    polarity = dict(dbt.ref("ref_indicators").project("indicator_id, polarity").fetchall())
    projects = dbt.ref("int_qi__evaluations").project("evaluation_id, indicator_id, start_date, end_date").fetchall()
    follow_up: dict[str, set[dt.date]] = {}
    for evaluation_id, period_end in (
        dbt.ref("int_qi__project_windows").filter("window_name = 'follow_up'").project("evaluation_id, period_end")
    ).fetchall():
        follow_up.setdefault(evaluation_id, set()).add(period_end)
    roles = dbt.ref("int_qi__project_practices").project("evaluation_id, practice_code, role").fetchall()
    indicator_of = {p[0]: p[1] for p in projects}
    treated = treated_practices(indicator_of, roles) if excludes_treated else set()

    columns: dict[str, list] = {name: [] for name, _ in COLUMNS}
    for evaluation_id, indicator_id, start_date, end_date in sorted(projects):
        if indicator_id not in sums or evaluation_id not in follow_up:
            continue
        months, monthly = sums[indicator_id]
        keep = np.array([m <= end_date for m in months])
        t = np.array([_month_index(m) - _month_index(start_date) for m in months])[keep]
        mask = np.array([m in follow_up[evaluation_id] for m in months])[keep]
        if (t < 0).sum() < min_pre_months or not mask.any():
            continue
        project_sums = MonthlySums(monthly.practices, monthly.n[:, keep], monthly.total[:, keep])
        intervention, comparison = evaluation_roles(roles, evaluation_id)
        pool = placebo_pool(monthly.practices, intervention + comparison, {c for i, c in treated if i == indicator_id})
        d = design(t, mask)
        result = its_inference(
            project_sums,
            d,
            intervention,
            comparison,
            pool,
            polarity.get(indicator_id) == "higher_is_better",
            min_patients,
            draws,
            seed,
            evaluation_id,
        )
        if result is None:
            continue
        for m, measure in enumerate(MEASURES):
            fit = result.fits[m]
            values = {
                "evaluation_id": evaluation_id,
                "measure": measure,
                "its_effect": fit.effect if fit else None,
                "hac_se": fit.se if fit else None,
                "step": fit.step if fit else None,
                "slope_change": fit.slope_change if fit else None,
                "df_resid": fit.df if fit else None,
                "placebo_mean": result.placebo_mean[m],
                "placebo_sd": result.placebo_sd[m],
                "placebo_lower": result.placebo_lower[m],
                "placebo_upper": result.placebo_upper[m],
                "n_placebo_draws": int(result.n_draws[m]),
                "n_pool_practices": result.n_pool,
                "n_pre_months": d.n_pre,
                "n_post_months": d.n_post,
                "hac_maxlags": d.hac_maxlags,
            }
            for name, value in values.items():
                is_nan = isinstance(value, float | np.floating) and np.isnan(value)
                columns[name].append(None if is_nan else value)
    return pa.table(columns, schema=pa.schema(list(COLUMNS)))
