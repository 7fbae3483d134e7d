"""Practice-level (placebo) inference for each QI project's difference in differences of the within-patient change
(or of the cross-sectional change, follow-up minus baseline, for a project whose change_design says so):
one row per project and measure (level, gap, sii) with the placebo distribution's mean, SD and 2.5% / 97.5%
quantiles, from disjoint practice sets of the project's sizes drawn from the practices that ran no project on the
same indicator (src/equity_qi/qi/placebo.py explains the method and its references). fct_qi_equity_impact uses the
SD as the effect's standard error. A project whose pool cannot hold two such sets, or with a role without patients,
gets no row (the mart then keeps the patient-level standard error and says so).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from equity_qi.qi.placebo import (
    MEASURES,
    PracticeSums,
    evaluation_roles,
    placebo_inference,
    placebo_pool,
    treated_practices,
)

QUANTITIES = ("change", "level_before", "level_after")


def _sums(rows: list[tuple]) -> dict[str, dict[str, PracticeSums]]:
    """Per project and quantity: the practices' sums, subgroups 0..5 in columns, every quantity over the same
    practices in the same order (zeros where a practice has no patient of that quantity)."""
    by_project: dict[str, dict[str, dict[str, np.ndarray]]] = {}
    for evaluation_id, quantity, practice_code, subgroup, n, total, squares in rows:
        cells = by_project.setdefault(evaluation_id, {}).setdefault(practice_code, np.zeros((len(QUANTITIES), 3, 6)))
        cells[QUANTITIES.index(quantity), :, subgroup] = (n, total, squares)
    out = {}
    for evaluation_id, practices in by_project.items():
        codes = sorted(practices)
        stacked = np.stack([practices[c] for c in codes])  # (practices, quantity, 3, 6)
        out[evaluation_id] = {
            q: PracticeSums(codes, stacked[:, i, 0], stacked[:, i, 1], stacked[:, i, 2])
            for i, q in enumerate(QUANTITIES)
        }
    return out


def model(dbt, session):
    dbt.config(materialized="table")
    draws = int(dbt.config.get("placebo_draws"))
    seed = int(dbt.config.get("placebo_seed"))
    min_patients = int(dbt.config.get("min_patients"))
    sums = _sums(
        dbt.ref("int_qi__practice_outcome_sums")
        .project("evaluation_id, quantity, practice_code, subgroup_order, n, sum_outcome, sum_squares")
        .fetchall()
    )
    # the change the evaluation uses: within-patient, or cross-sectional (follow-up minus baseline) for a project
    # with no patients in both windows (int_qi__project_role_estimates)
    designs = dict(
        dbt.ref("int_qi__project_role_estimates").project("evaluation_id, change_design").distinct().fetchall()
    )
    polarity = dict(dbt.ref("ref_indicators").project("indicator_id, polarity").fetchall())
    projects = {
        evaluation_id: (indicator_id, polarity.get(indicator_id) == "higher_is_better")
        for evaluation_id, indicator_id in (
            dbt.ref("int_qi__evaluations").project("evaluation_id, indicator_id").fetchall()
        )
    }
    roles = dbt.ref("int_qi__project_practices").project("evaluation_id, practice_code, role").fetchall()
    # a practice that ran a project on an indicator is no placebo for that indicator (unless the projects are
    # themselves placebos, as in the calibration benchmark: var qi_placebo_excludes_treated false)
    excludes_treated = str(dbt.config.get("excludes_treated")).lower() in ("true", "1")
    treated = treated_practices({p: spec[0] for p, spec in projects.items()}, roles) if excludes_treated else set()

    columns: dict[str, list] = {name: [] for name in (
        "evaluation_id", "measure", "practice_pooled_effect", "placebo_mean", "placebo_sd", "placebo_lower",
        "placebo_upper", "n_placebo_draws", "n_pool_practices", "n_draws_requested",
    )}
    for evaluation_id in sorted(projects):
        indicator_id, higher_is_better = projects[evaluation_id]
        intervention, comparison = evaluation_roles(roles, evaluation_id)
        quantity_sums = sums.get(evaluation_id)
        if quantity_sums is None:
            continue
        cross_sectional = designs.get(evaluation_id) == "cross-sectional"
        practice_sums = quantity_sums["level_after" if cross_sectional else "change"]
        baseline = quantity_sums["level_before"] if cross_sectional else None
        pool = placebo_pool(
            practice_sums.practices, intervention + comparison, {c for i, c in treated if i == indicator_id}
        )
        result = placebo_inference(
            practice_sums, intervention, comparison, pool, higher_is_better, min_patients, draws, seed, evaluation_id,
            baseline,
        )
        if result is None:
            continue
        for m, measure in enumerate(MEASURES):
            values = (
                result.estimate[m], result.placebo_mean[m], result.placebo_sd[m], result.placebo_lower[m],
                result.placebo_upper[m],
            )
            columns["evaluation_id"].append(evaluation_id)
            columns["measure"].append(measure)
            for name, value in zip(
                ("practice_pooled_effect", "placebo_mean", "placebo_sd", "placebo_lower", "placebo_upper"), values,
                strict=True,
            ):
                columns[name].append(None if np.isnan(value) else float(value))
            columns["n_placebo_draws"].append(int(result.n_draws[m]))
            columns["n_pool_practices"].append(result.n_pool)
            columns["n_draws_requested"].append(draws)
    schema = pa.schema([
        ("evaluation_id", pa.string()), ("measure", pa.string()), ("practice_pooled_effect", pa.float64()),
        ("placebo_mean", pa.float64()), ("placebo_sd", pa.float64()), ("placebo_lower", pa.float64()),
        ("placebo_upper", pa.float64()), ("n_placebo_draws", pa.int64()), ("n_pool_practices", pa.int64()),
        ("n_draws_requested", pa.int64()),
    ])
    return pa.table(columns, schema=schema)
