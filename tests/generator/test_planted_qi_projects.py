"""The planted QI projects show their effects in the raw files (difference in differences)."""

from __future__ import annotations

import math

import pytest
from planted import BP_READINGS, Z, _check


def _did(rows: list[tuple]) -> dict:
    """Difference in differences of a mean by group: (project after - before) - (comparison after - before),
    with its SE, from rows (arm, period, group, n, mean, variance) holding one row per cell."""
    cells: dict = {}
    for arm, period, group, n, mean, var in rows:
        assert (group, arm, period) not in cells, "one row per cell"
        cells[(group, arm, period)] = (n, mean, var)
    out = {}
    for g in {k[0] for k in cells}:
        try:
            parts = [cells[(g, a, p)] for a in ("project", "comparison") for p in ("after", "before")]
        except KeyError:
            continue
        est = (parts[0][1] - parts[1][1]) - (parts[2][1] - parts[3][1])
        se = math.sqrt(sum(v / n for n, _, v in parts))
        out[g] = (est, se)
    return out


def _project(x, project_id: str) -> dict:
    return next(p for p in x.truth["qi_projects"] if p["project_id"] == project_id)


def test_bp_project_raises_control_more_for_the_less_deprived(x):
    project = _project(x, "QI-BP-01")
    effect = project["effect_by_quintile"]
    x.con.execute(f"""
        create or replace table bp_project as
        with r as ({BP_READINGS})
        select pp.arm, case when r.d >= date '{project["start"]}' then 'after' else 'before' end as period,
               case when r.q >= 3 then 'less' else 'more' end as grp, r.q,
               -- net of the planted practice drift and season, which the project practices share with no one
               case when sbp <= case when is_80_plus then 150 else 140 end and dbp <= 90 then 1.0 else 0.0 end
               - r.drift_bp as ok
        from r join project_practice pp on pp.ods_code = r.ods_code and pp.project_id = 'QI-BP-01'
        where r.d >= date '{project["start"]}' - interval 3 year and r.d < date '{project["start"]}' + interval 3 year
    """)
    did = _did(x.sql("select arm, period, grp, count(*), avg(ok), var_samp(ok) from bp_project group by all"))
    mix = x.sql("select grp, q, count(*) from bp_project where arm = 'project' and period = 'after' group by all")
    for grp, (est, se) in did.items():
        n = sum(c for g, _, c in mix if g == grp)
        expected = sum(effect[q - 1] * c for g, q, c in mix if g == grp) / n
        _check(est, expected, se, f"BP project DiD, {grp} deprived")
    assert did["less"][0] > did["more"][0]  # the gap widens


def test_diabetes_project_effect_is_shaped_like_the_audit(x):
    project = _project(x, "QI-DM-01")
    assert project["q5_minus_q1"] == -5.7
    effect = project["effect_by_quintile"]
    assert effect[4] - effect[0] == pytest.approx(-5.7)
    mix = project["expected_diabetic_quintile_mix"]
    assert sum(m * e for m, e in zip(mix, effect)) == pytest.approx(-2.6)
    rows = x.sql(f"""
        with t as (
            select pp.arm, case when o.d >= date '{project["start"]}' then 'after' else 'before' end as period,
                   a.q, case when o.v < 20 then 10.929 * o.v - 23.5 else o.v end - dr.hba1c as v  -- net of drift
            from obs o
            join dx on dx.person_id = o.person_id and dx.codelist_id = 'dm_cod' and dx.d <= o.d
            join addr a on a.patient_id = o.patient_id and o.d >= a.start_date and o.d < a.end_date
            join practice p on p.organization_id = o.organization_id
            join project_practice pp on pp.ods_code = p.ods_code and pp.project_id = 'QI-DM-01'
            join practice_drift dr on dr.ods_code = p.ods_code and o.d >= dr.year_start and o.d < dr.year_end
            where o.code in (select code from codes where codelist_id in ('ifcchbam_cod', 'hba1c_tests'))
              and o.d >= date '{project["start"]}' - interval 3 year
              and o.d < date '{project["start"]}' + interval 3 year
        )
        select arm, period, 'all', count(*), avg(v), var_samp(v) from t group by all
    """)
    overall = _did(rows)["all"]
    # persons recur across periods, so the SE of independent means overstates the error: a fair upper bound
    _check(overall[0], -2.6, overall[1] + 0.5 / Z, "diabetes project overall DiD")


def test_cervical_outreach_targets_core20(x):
    project = _project(x, "QI-CS-01")
    rows = x.sql(f"""
        with s as (
            select pp.arm, case when o.d >= date '{project["start"]}' then 'after' else 'before' end as period,
                   a.decile <= 2 as core20
            from obs o
            join addr a on a.patient_id = o.patient_id and o.d >= a.start_date and o.d < a.end_date
            join practice p on p.organization_id = o.organization_id
            join project_practice pp on pp.ods_code = p.ods_code and pp.project_id = 'QI-CS-01'
            where o.code in (select code from codes where codelist_id = 'smear_cod')
              and o.d >= date '{project["start"]}' - interval 2 year
              and o.d < date '{project["start"]}' + interval 2 year
        )
        select arm, core20, count(*) filter (where period = 'after'), count(*) filter (where period = 'before')
        from s group by all
    """)
    ratio = {(arm, core20): after / before for arm, core20, after, before in rows}
    core20_gain = ratio[("project", True)] / ratio[("comparison", True)]
    other_gain = ratio[("project", False)] / ratio[("comparison", False)]
    assert core20_gain > 1.08, core20_gain  # planted +0.12 on ~0.6 attendance: about +20% screens
    assert core20_gain > other_gain + 0.05  # the gap narrows


@pytest.mark.parametrize(("share", "expected"), [(0.10, [4, 4, 4]), (0.20, [8, 6, 4])])
def test_projects_take_at_most_their_share_of_the_practices(tmp_path, share, expected):
    """`qi_max_practice_share` caps each project's practices (and as many comparisons); practices never repeat."""
    from equity_qi.generator.config import load_config
    from equity_qi.generator.reference import Reference
    from equity_qi.generator.world import build_world

    override = tmp_path / "config.yaml"
    override.write_text(f"qi_max_practice_share: {share}\n")
    config = load_config(override)
    for project, n in zip(config["qi_projects"], (8, 6, 4), strict=True):
        project["n_practices"] = project["n_comparison"] = n
    world = build_world(config, Reference(), 200_000, 40, seed=3)
    assert [len(p["practices"]) for p in world.projects] == expected
    assert [len(p["comparison_practices"]) for p in world.projects] == expected
    chosen = [q for p in world.projects for q in p["practices"] + p["comparison_practices"]]
    assert len(chosen) == len(set(chosen)) == 2 * sum(expected)


def test_max_practice_share_must_be_a_share(tmp_path):
    from equity_qi.generator.config import ConfigError, load_config

    override = tmp_path / "config.yaml"
    override.write_text("qi_max_practice_share: 1.5\n")
    with pytest.raises(ConfigError, match="qi_max_practice_share"):
        load_config(override)
