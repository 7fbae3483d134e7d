"""Inequality indices and the QI equity-impact verdict on generated extracts with planted truth.

Two extracts (seeds 5 and 6; 200,000 patients in 40 practices, generator config
tests/fixtures/generator/qi_verdicts.yaml: the default practice drift; 8 + 8 practices for the BP project and 6 + 6
for screening, with effects about twice the default, 4 + 4 for the diabetes project with its default effects) are
built with the extract's own qi_projects.csv (the default, var qi_projects_from: extract). The default effects are
realistic and 4 + 4 practices often cannot resolve their gaps (bench/results/qi_verdicts_seeds_demo.md); the test
config puts each planted level change about 4 practice-level SEs or more from zero.
Checks: every planted project gets its verdict or says 'not clear' about part of it, never a wrong clear word (BP
widening, Core20 screening narrowing, diabetes improved but widened), judged at practice level (placebo inference);
the narrowing and widening come from the planted ends of the gradient; the paediatric-audit-shaped diabetes project
has the planted 5.7 mmol/mol widening and -2.6 mmol/mol overall effect inside the intervals; planted slope indices of
inequality (HbA1c and first MMR by IMD quintile) fall inside the reported intervals; the marts' SII is the PHE
formula applied to the rate mart; every verdict follows the documented rule (the difference in differences, withdrawn
where the interrupted time series contradicts it); SPC series of project practices are
rebased at the project start.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dbt_helpers import run_dbt
from equity_qi.generator.engine import Options, generate
from equity_qi.headline import headline

SEEDS = (5, 6)
GENERATOR_CONFIG = Path(__file__).parent / "fixtures" / "generator" / "qi_verdicts.yaml"
PLANTED_VERDICTS = {
    "QI-BP-01": "improved but widened",  # control rises 0.00 (most deprived) .. 0.26 (least deprived) per reading
    "QI-CS-01": "improved and narrowed",  # reminders and outreach for Core20 women
    "QI-DM-01": "improved but widened",  # -2.6 mmol/mol overall, the least deprived 5.7 more
}
GAP_WORD = {"improved but widened": "widened", "improved and narrowed": "narrowed"}


def _consistent(verdict: str, planted: str) -> bool:
    """The planted verdict, or 'not clear' about a part of it: never a wrong clear word."""
    gap = GAP_WORD[planted]
    return verdict in (planted, "improved, gap not clear", f"level not clear, gap {gap}", "not clear")
Z95 = 1.959963984540054
Row = dict[str, Any]


@pytest.fixture(scope="module")
def qi_warehouse(tmp_path_factory: pytest.TempPathFactory, dbt_warehouse) -> Callable[[int], tuple[Path, dict]]:
    made: dict[int, tuple[Path, dict]] = {}
    extracts: dict[int, Path] = {}

    def make(seed: int) -> tuple[Path, dict]:
        if seed not in made:
            folder = tmp_path_factory.mktemp("qi") / f"seed{seed}"
            generate(Options(out=folder, patients=200_000, practices=40, seed=seed, dirty_rate=0.01, fmt="parquet",
                             config=GENERATOR_CONFIG))
            truth = json.loads((folder / "ground_truth.json").read_text())
            made[seed] = (dbt_warehouse(folder), truth)
            extracts[seed] = folder
        return made[seed]

    make.extracts = extracts  # type: ignore[attr-defined]
    return make


def _rows(database: Path, sql: str, params: list | None = None) -> list[Row]:
    with duckdb.connect(str(database), read_only=True) as con:
        cursor = con.execute(sql, params or [])
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _inside(value: float, lower: float, upper: float) -> bool:
    return lower <= value <= upper


def _wls_slope(orders_values_weights: list[tuple[int, float, float]]) -> float:
    """PHE SII (value_type 0, no transform): weighted least squares slope of the value on the ridit."""
    rows = sorted(orders_values_weights)
    total = sum(w for _, _, w in rows)
    shares = [w / total for _, _, w in rows]
    ridits = [sum(shares[:i]) + shares[i] / 2 for i in range(len(rows))]
    b_mean = sum(a * b for a, b in zip(shares, ridits, strict=True))
    y_mean = sum(a * y for a, (_, y, _) in zip(shares, rows, strict=True))
    sxy = sum(a * (b - b_mean) * (y - y_mean) for a, b, (_, y, _) in zip(shares, ridits, rows, strict=True))
    sxx = sum(a * (b - b_mean) ** 2 for a, b in zip(shares, ridits, strict=True))
    return sxy / sxx


@pytest.mark.parametrize("seed", SEEDS)
def test_diabetes_project_is_improved_but_widened_with_the_planted_effects_inside_the_intervals(qi_warehouse, seed):
    database, truth = qi_warehouse(seed)
    project = next(p for p in truth["qi_projects"] if p["project_id"] == "QI-DM-01")
    assert project["q5_minus_q1"] == -5.7 and project["overall_effect"] == -2.6
    (row,) = _rows(database, "select * from marts.fct_qi_equity_impact where project_id = 'QI-DM-01'")
    assert row["comparison_method"] == "named"
    assert row["n_intervention_practices"] == len(project["practice_codes"]) >= 2
    assert _consistent(row["verdict"], "improved but widened"), row
    # HbA1c: lower is better, so the oriented gap is most minus least deprived; the least deprived falling 5.7 more
    # widens it by +5.7
    assert _inside(5.7, row["gap_effect_ci_lower"], row["gap_effect_ci_upper"]), row
    assert _inside(-2.6, row["level_effect_ci_lower"], row["level_effect_ci_upper"]), row
    assert row["sii_effect"] < 0  # the least deprived end gained: SII (least minus most) fell
    verdict_line = next(line for line in headline(database).splitlines() if line.startswith("QI-DM-01"))
    assert verdict_line.endswith(row["verdict"]) and "DM_MEAN_HBA1C" in verdict_line


@pytest.mark.parametrize("seed", SEEDS)
def test_every_planted_project_gets_its_verdict(qi_warehouse, seed):
    database, truth = qi_warehouse(seed)
    rows = {r["project_id"]: r for r in _rows(database, "select * from marts.fct_qi_equity_impact")}
    assert set(rows) == set(PLANTED_VERDICTS)
    for project_id, planted in PLANTED_VERDICTS.items():
        assert _consistent(rows[project_id]["verdict"], planted), rows[project_id]
    # the practice drift is in the intervals: every project is judged at practice level, and its planted level
    # change (about 4 practice-level SEs or more) is still found
    for row in rows.values():
        assert row["inference_method"] == "placebo", row
        assert row["level_judgement"] == "improved", row
    # the pool: the extract's 40 practices less the project's own (other projects' indicators differ)
    assert {p: r["n_placebo_practices"] for p, r in rows.items()} == {"QI-BP-01": 24, "QI-CS-01": 28, "QI-DM-01": 32}
    for project in truth["qi_projects"]:
        row = rows[project["project_id"]]
        assert row["n_intervention_practices"] == len(project["practice_codes"])
        assert row["n_comparison_practices"] == len(project["comparison_practice_codes"])
    assert rows["QI-BP-01"]["n_intervention_practices"] == 8


def _quintile_effects(database: Path, project_id: str) -> dict[int, tuple[float, float]]:
    """Per IMD quintile: the difference in differences of the paired within-patient change and its SE."""
    rows = _rows(database, """
        select subgroup_order, role, estimate, se from intermediate.int_qi__project_subgroups
        where evaluation_id = ? and quantity = 'change' and subgroup_order between 1 and 5
    """, [project_id])  # fmt: skip
    cells = {(r["subgroup_order"], r["role"]): r for r in rows}
    effects = {}
    for q in range(1, 6):
        a, b = cells[(q, "intervention")], cells[(q, "comparison")]
        effects[q] = (a["estimate"] - b["estimate"], (a["se"] ** 2 + b["se"] ** 2) ** 0.5)
    return effects


@pytest.mark.parametrize("seed", SEEDS)
def test_the_gap_moves_at_the_planted_end_of_the_gradient(qi_warehouse, seed):
    """BP control was planted to rise 0.26 per reading in the least deprived quintile and not at all in the most
    deprived; screening outreach reaches Core20 (IMD deciles 1-2, quintile 1) women only."""
    database, truth = qi_warehouse(seed)
    bp = _quintile_effects(database, "QI-BP-01")
    planted_bp = next(p for p in truth["qi_projects"] if p["project_id"] == "QI-BP-01")["effect_by_quintile"]
    assert planted_bp[0] == 0.0 and planted_bp[4] == 0.26
    # the quintiles' patient-level SEs leave out practice drift, which moves every quintile of a practice alike:
    # add the practice-level noise of the project's level effect (the placebo SD)
    (practice_sd,) = _rows(database, """
        select placebo_sd from intermediate.int_qi__placebo_inference
        where evaluation_id = 'QI-BP-01' and measure = 'level'
    """)[0].values()
    assert abs(bp[1][0]) < 3.29 * math.hypot(bp[1][1], practice_sd)  # no planted change for the most deprived
    # a clear gain for the two least deprived quintiles together (inverse-variance pooled: comparison practices
    # can have few patients in quintile 5 alone)
    weights = [1 / bp[q][1] ** 2 for q in (4, 5)]
    pooled = sum(w * bp[q][0] for w, q in zip(weights, (4, 5), strict=True)) / sum(weights)
    assert pooled - Z95 * math.hypot(1 / sum(weights) ** 0.5, practice_sd) > 0
    assert bp[5][0] > bp[1][0] and bp[4][0] > bp[1][0]
    cs = _quintile_effects(database, "QI-CS-01")
    assert cs[1][0] - Z95 * cs[1][1] > 0.05  # Core20 coverage rose by more than 5 points
    assert cs[1][0] > max(cs[q][0] for q in range(2, 6))
    outreach = truth["realised"]["cervical_outreach_overdue_core20"]
    assert outreach["n"][1:] == [0, 0, 0, 0] and outreach["screened"][0] > 0.4 * outreach["n"][0]


@pytest.mark.parametrize("seed", SEEDS)
def test_verdicts_follow_the_documented_rule(qi_warehouse, seed):
    database, _ = qi_warehouse(seed)
    rows = _rows(database, "select * from marts.fct_qi_equity_impact")
    assert {r["project_id"] for r in rows} == {"QI-BP-01", "QI-CS-01", "QI-DM-01"}
    for r in rows:
        sign = 1 if r["polarity"] == "higher_is_better" else -1
        margin = r["equivalence_margin"]
        assert margin == (1.0 if r["indicator_id"] == "DM_MEAN_HBA1C" else 0.02)

        def judge(name: str, positive: str, negative: str, r: Row = r, sign: int = sign, margin: float = margin) -> str:
            lower, upper = r[f"{name}_ci_lower"], r[f"{name}_ci_upper"]
            if lower > 0:
                return positive if sign > 0 else negative
            if upper < 0:
                return negative if sign > 0 else positive
            return "unchanged" if -margin <= lower and upper <= margin else "not clear"

        did = judge("level_effect", "improved", "worsened"), judge("sii_effect", "widened", "narrowed")
        assert (r["did_level_judgement"], r["did_gap_judgement"]) == did, r
        # the time series (second design) is fitted for every project here, judged at practice level
        assert r["its_inference_method"] == "placebo" and r["its_n_pre_months"] >= 12, r
        assert r["its_n_post_months"] == 24, r
        its = judge("its_level_effect", "improved", "worsened"), judge("its_sii_effect", "widened", "narrowed")
        assert (r["its_level_judgement"], r["its_gap_judgement"]) == its, r
        # the time series withdraws a clear reading that it contradicts, and never makes one
        level, gap = did
        agreements = []
        for reading, second, effect, clear_words in (
            (level, its[0], "level_effect", ("improved", "worsened")),
            (gap, its[1], "sii_effect", ("widened", "narrowed")),
        ):
            same_way = r[effect] * r[f"its_{effect}"] > 0 and second != "unchanged"
            agrees = (
                second not in clear_words if reading == "unchanged" else same_way if reading in clear_words else True
            )
            agreements.append(agrees)
        level, gap = (w if a else "not clear" for w, a in zip(did, agreements, strict=True))
        assert (r["level_judgement"], r["gap_judgement"]) == (level, gap), r
        assert r["design_agreement"] == ("agree" if all(agreements) else "disagree"), r
        expected = {
            ("improved", "narrowed"): "improved and narrowed", ("improved", "widened"): "improved but widened",
            ("not clear", "not clear"): "not clear",
        }.get((level, gap))
        if expected is None:
            expected = (
                f"improved, gap {gap}" if level == "improved" else "worsened" if level == "worsened"
                else f"level {level}, gap {gap}"
            )
        if level in ("unchanged", "not clear") and gap == "narrowed":
            assert r["verdict"] in ("levelled down", expected), r
        else:
            assert r["verdict"] == expected, r
        assert (r["verdict_note"] is None) == ("not clear" not in (level, gap)), r
        for name in ("level", "gap", "sii"):
            effect = r[f"{name}_effect"]
            half_width = (r[f"{name}_effect_ci_upper"] - r[f"{name}_effect_ci_lower"]) / 2
            assert r[f"{name}_effect_ci_lower"] == pytest.approx(effect - half_width, abs=1e-9)
            assert effect == pytest.approx(r[f"{name}_change"] - r[f"comparison_{name}_change"], abs=1e-9)
            # the minimum detectable effect at 80% power is (1.96 + 0.84) standard errors
            assert r[f"{name}_effect_mde"] == pytest.approx(half_width / Z95 * (Z95 + 0.8416212335729143), rel=1e-9)


PLANTED_GRADIENTS = [
    # mean latest HbA1c by quintile, before the diabetes project started (2021-10-01)
    ("DM_MEAN_HBA1C", lambda c: c["diabetes"]["hba1c_mean_by_quintile"], "2021-03-31"),
    ("DM_MEAN_HBA1C", lambda c: c["diabetes"]["hba1c_mean_by_quintile"], "2020-03-31"),
    ("VI002", lambda c: c["immunisations"]["mmr1_by_quintile"], "2025-03-31"),
    ("VI002", lambda c: c["immunisations"]["mmr1_by_quintile"], "2024-03-31"),
]


def _planted_sii_check(database: Path, truth: dict, indicator_id: str, planted, period_end: str) -> tuple[float, Row]:
    """The SII the planted quintile values imply (PHE's regression on the row's own population shares) and the ICB
    row of fct_inequality_indices."""
    values = planted(truth["config"])
    strata = _rows(database, """
        select cast(stratum as integer) as quintile, denominator from marts.fct_indicator_rates
        where indicator_id = ? and period_end = ? and geography_level = 'icb' and dimension = 'imd_quintile'
            and stratum != 'Unknown'
    """, [indicator_id, period_end])  # fmt: skip
    assert len(strata) == 5
    expected = _wls_slope([(s["quintile"], values[s["quintile"] - 1], s["denominator"]) for s in strata])
    (row,) = _rows(database, """
        select * from marts.fct_inequality_indices
        where indicator_id = ? and period_end = ? and geography_level = 'icb' and dimension = 'imd_quintile'
            and measure = 'sii'
    """, [indicator_id, period_end])  # fmt: skip
    assert row["reliability"] == "reliable"
    return expected, row


def test_planted_sii_falls_inside_the_reported_intervals(qi_warehouse):
    """Over both seeds and four indicator x year cases, the planted SII is within 3.29 SE of every estimate (a
    99.9% interval: a real bias fails it) and outside the reported 95% interval at most twice in eight (the
    binomial 99% bound for 5% misses): the intervals are neither biased nor too narrow."""
    misses, far = [], []
    for seed in SEEDS:
        database, truth = qi_warehouse(seed)
        for indicator_id, planted, period_end in PLANTED_GRADIENTS:
            expected, row = _planted_sii_check(database, truth, indicator_id, planted, period_end)
            assert row["ci_lower"] < row["estimate"] < row["ci_upper"]
            assert row["se"] > 0
            case = (seed, indicator_id, period_end, expected, row["estimate"], row["ci_lower"], row["ci_upper"])
            if not _inside(expected, row["ci_lower"], row["ci_upper"]):
                misses.append(case)
            if abs(expected - row["estimate"]) > 3.29 * (row["ci_upper"] - row["ci_lower"]) / (2 * Z95):
                far.append(case)
    assert not far, far
    assert len(misses) <= 2, misses


def test_within_practice_sii_is_the_phe_regression_on_the_practice_strata(qi_warehouse):
    """Practice rows are within-practice inequality: recomputing PHE's SII from each practice's own IMD-quintile
    means in the rate mart gives the mart's value (mean indicator, value_type 0)."""
    database, _ = qi_warehouse(SEEDS[0])
    indices = _rows(database, """
        select geography_code, estimate from marts.fct_inequality_indices
        where indicator_id = 'DM_MEAN_HBA1C' and period_end = '2025-03-31' and geography_level = 'practice'
            and dimension = 'imd_quintile' and measure = 'sii' and estimate is not null
    """)
    assert len(indices) >= 5
    strata = _rows(database, """
        select geography_code, cast(stratum as integer) as quintile, value, denominator from marts.fct_indicator_rates
        where indicator_id = 'DM_MEAN_HBA1C' and period_end = '2025-03-31' and geography_level = 'practice'
            and dimension = 'imd_quintile' and stratum != 'Unknown'
    """)
    for index in indices:
        mine = [
            (s["quintile"], s["value"], s["denominator"])
            for s in strata
            if s["geography_code"] == index["geography_code"]
        ]
        assert len(mine) == 5
        assert index["estimate"] == pytest.approx(_wls_slope(mine), rel=1e-9)


def test_suppressed_gradients_say_why(qi_warehouse):
    database, _ = qi_warehouse(SEEDS[0])
    rows = _rows(database, """
        select reliability, count(*) as n, count(estimate) as n_estimated, min(n_groups) as min_groups
        from marts.fct_inequality_indices where dimension = 'imd_quintile' group by reliability
    """)
    by_reason = {r["reliability"]: r for r in rows}
    assert by_reason["suppressed_incomplete_gradient"]["n_estimated"] == 0
    assert by_reason["suppressed_incomplete_gradient"]["min_groups"] < 5
    assert by_reason["reliable"]["n_estimated"] == by_reason["reliable"]["n"]
    small = _rows(database, """
        select count(*) as n from marts.fct_inequality_indices
        where estimate is not null and min_subgroup_denominator < 10
    """)
    assert small[0]["n"] == 0  # never a number from a subgroup below the minimum


def test_spc_rebases_project_practices_at_the_project_start(qi_warehouse):
    database, truth = qi_warehouse(SEEDS[0])
    project = next(p for p in truth["qi_projects"] if p["project_id"] == "QI-DM-01")
    practice = project["practice_codes"][0]
    segments = _rows(database, """
        select baseline_segment, min(period_end) as first_point, max(period_end) as last_point,
            count(distinct mean_value) as n_centre_lines, count(*) as n_points
        from marts.fct_spc
        where indicator_id = 'DM_MEAN_HBA1C' and measure = 'value' and geography_level = 'practice'
            and geography_code = ?
        group by baseline_segment order by first_point
    """, [practice])  # fmt: skip
    assert [s["baseline_segment"] for s in segments] == ["before_QI-DM-01", "QI-DM-01"]
    assert str(segments[0]["last_point"]) < project["start"] <= str(segments[1]["first_point"])
    assert all(s["n_centre_lines"] == 1 for s in segments)
    other = _rows(database, """
        select distinct baseline_segment from marts.fct_spc
        where indicator_id = 'DM_MEAN_HBA1C' and geography_level = 'borough'
    """)
    assert other == [{"baseline_segment": "all"}]
    # a point flagged special cause has a rule behind it, and the limits are the XmR ones
    flagged = _rows(database, """
        select * from marts.fct_spc where is_special_cause and mean_moving_range is not null limit 200
    """)
    assert flagged
    for point in flagged:
        assert point["is_astronomical"] or point["is_shift"] or point["is_trend"] or point["is_two_of_three"]
        assert point["upper_process_limit"] == pytest.approx(point["mean_value"] + 2.66 * point["mean_moving_range"])
        assert point["variation_type"] in ("special_cause_improvement", "special_cause_concern")


def test_decomposition_adds_up_and_practice_shares_are_proportions(qi_warehouse):
    database, _ = qi_warehouse(SEEDS[0])
    rows = _rows(database, "select * from marts.fct_inequality_decomposition where indicator_id = 'HYP008'")
    assert rows
    for r in rows:
        assert 0 <= r["between_practice_share"] <= 1
        assert r["within_practice_variance"] >= -1e-12
        if r["sii_total"] is not None and r["sii_within_practice"] is not None:
            w = r["within_practice_weight"]
            combined = w * r["sii_within_practice"] + (1 - w) * (r["sii_between_practice"] or 0.0)
            assert combined == pytest.approx(r["sii_total"], abs=1e-9)
        assert 0 <= r["mean_value"] <= 1  # HYP008 is a proportion


def test_the_worked_example_analysis_answers_from_the_public_marts(qi_warehouse, tmp_path):
    """analyses/did_project_widen_inequality.sql compiles and runs against the warehouse: the project's verdict with
    its monthly gap series for both roles, flagged before and during the project."""
    database, _ = qi_warehouse(SEEDS[0])
    run = run_dbt(["compile", "--select", "did_project_widen_inequality"], extract_dir=qi_warehouse.extracts[SEEDS[0]],
                  duckdb_path=database, work_dir=tmp_path, dbt_vars={"project_id": "QI-DM-01"})  # fmt: skip
    assert run.success, run.problems()
    compiled = next((tmp_path / "target" / "compiled").rglob("did_project_widen_inequality.sql")).read_text()
    assert "fct_qi_equity_impact" in compiled and "int_" not in compiled  # public marts only
    with duckdb.connect(str(database), read_only=True) as con:
        cursor = con.execute(compiled)
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    assert {r["verdict"] for r in rows} == {"improved but widened"}
    assert {r["role"] for r in rows} == {"intervention", "comparison"}
    assert {r["is_during_project"] for r in rows} == {True, False}
