"""Hypertension and diabetes: onset, (delayed, unequal) diagnosis, monitoring, control and treatment."""

from __future__ import annotations

import numpy as np

from .context import UNIT, Chunk, Kind, capped, uniform_days
from .drift import winter_dip
from .events import poisson_events
from .population import NEVER, YEAR

BP_UNITS = (UNIT["mmHg"], UNIT["mm Hg"], UNIT["mm[Hg]"], -1)
BP_UNIT_P = (0.85, 0.08, 0.02, 0.05)
NO_PARENT_SHARE = 0.10  # readings entered as separate systolic and diastolic codes with no parent


def lifetime_onset(ch: Chunk, cfg: dict, quintile: np.ndarray) -> np.ndarray:
    """Onset day from a logistic lifetime-risk curve scaled by deprivation and ethnic group (NEVER if none)."""
    rr = np.asarray(cfg["rr_by_quintile"])[quintile - 1]
    groups = cfg["rr_by_group"]
    rr = rr * np.choose(ch.pop.group, [groups["other"], groups["black"], groups["south_asian"]])
    p_max = np.minimum(0.95, cfg["max_risk"] * rr)
    u = ch.rng.random(ch.pop.n)
    has = u < p_max * 0.999
    ratio = np.where(has, u / p_max, 0.5)
    age = np.clip(cfg["age_mid"] + cfg["age_scale"] * np.log(ratio / (1 - ratio)), 18, 105)
    return np.where(has, ch.ages_to_day(np.arange(ch.pop.n), age), NEVER)


def hypertension(ch: Chunk) -> dict[str, np.ndarray]:
    cfg = ch.config["hypertension"]
    rng, pop = ch.rng, ch.pop
    q0 = ch.quintile_at_entry()
    onset = lifetime_onset(ch, cfg, q0)
    diagnosed = (onset < NEVER) & (rng.random(pop.n) < np.asarray(cfg["diagnosed_by_quintile"])[q0 - 1])
    delay = rng.exponential(1.0, pop.n) * np.asarray(cfg["diagnosis_delay_years_by_quintile"])[q0 - 1] * YEAR
    diag = capped(np.where(diagnosed, onset + np.floor(delay).astype(np.int64), NEVER), ch.last)

    people = np.flatnonzero(diag < NEVER)
    ch.record(Kind.HTN_DX, people, diag[people], ch.codes.pools["htn_dx"], is_problem=np.ones(len(people), bool))
    resolved = people[rng.random(len(people)) < cfg["resolved_share"]]
    res_day = capped(diag[resolved] + uniform_days(rng, len(resolved), YEAR, 5 * YEAR), ch.last[resolved])
    keep = res_day < NEVER
    ch.record(Kind.HTN_RES, resolved[keep], res_day[keep], ch.codes.pools["htn_resolved"])

    _blood_pressure(ch, cfg, onset, diag)
    person, day = poisson_events(
        rng, *ch.window(np.maximum(ch.observed_from, diag), ch.last), cfg["pca_declined_share"]
    )
    ch.record(Kind.HTN_PCA, person, day, ch.codes.pools["htn_pca_declined"])
    treated = people[rng.random(len(people)) < cfg["treated_share"]]
    classes = [c for c in ("ace_inhibitor", "arb", "ccb", "thiazide", "beta_blocker") if c in ch.codes.drugs]
    prescribe(ch, treated, diag[treated], classes)
    return {"htn_onset": onset, "htn_diagnosed": diag}


def _blood_pressure(ch: Chunk, cfg: dict, onset: np.ndarray, diag: np.ndarray) -> None:
    rng, pop = ch.rng, ch.pop
    everyone = np.arange(pop.n)
    age18, age40 = ch.ages_to_day(everyone, 18), ch.ages_to_day(everyone, 40)
    undiagnosed_end = np.minimum(diag, ch.last)
    lo = np.maximum(ch.observed_from, age18)
    young = poisson_events(rng, *ch.window(lo, np.minimum(age40, undiagnosed_end)), cfg["bp_checks_per_year_18_39"])
    # Case finding at 40+: a Poisson process thinned by the deprivation of the address at each check.
    rates = np.asarray(cfg["bp_checks_per_year_40_plus_by_quintile"])
    p, d = poisson_events(rng, *ch.window(np.maximum(ch.observed_from, age40), undiagnosed_end), rates.max())
    keep = rng.random(len(d)) < rates[ch.quintile_at(p, d) - 1] / rates.max()
    older = (p[keep], d[keep])
    monitored = poisson_events(
        rng, *ch.window(np.maximum(ch.observed_from, diag), ch.last), cfg["bp_checks_per_year_diagnosed"]
    )
    person = np.concatenate([young[0], older[0], monitored[0]])
    day = np.concatenate([young[1], older[1], monitored[1]])
    on_register = np.concatenate([np.zeros(len(young[0]) + len(older[0]), bool), np.ones(len(monitored[0]), bool)])
    systolic, diastolic, controlled = bp_values(ch, cfg, person, day, on_register, day >= onset[person])
    add_bp_readings(ch, person, day, systolic, diastolic)
    ch.truth.setdefault("bp_readings_on_register", []).append(
        (ch.quintile_at(person[on_register], day[on_register]), controlled[on_register])
    )


def bp_values(
    ch: Chunk, cfg: dict, person: np.ndarray, day: np.ndarray, on_register: np.ndarray, hypertensive: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer mmHg readings. On the register a reading is controlled (at or under the age-appropriate QOF
    target) with the planted probability: quintile gradient + practice effect + the practice's drift that year +
    the season (winter readings are higher) + QI project effect."""
    rng = ch.rng
    n = len(day)
    quintile = ch.quintile_at(person, day)
    practice = ch.practice_at(person, day)
    p_control = np.asarray(cfg["control_by_quintile"])[quintile - 1] + ch.world.practice_effect_hyp[practice]
    p_control += ch.world.drift.at("bp_control", practice, day) + winter_dip(day, cfg["winter_control_dip"])
    p_control += ch.project_effect(
        "hypertension", person, day, lambda proj, p, d: np.asarray(proj["effect_by_quintile"])[ch.quintile_at(p, d) - 1]
    )
    controlled = rng.random(n) < np.clip(p_control, 0.02, 0.98)
    target = np.where(ch.age_at(person, day) >= 80, 150, 140)
    normal_sys = np.round(rng.normal(np.where(hypertensive, 150, 122), np.where(hypertensive, 12, 11)))
    normal_dia = np.round(rng.normal(np.where(hypertensive, 92, 76), 8))
    good_sys = target - np.floor(np.abs(rng.normal(0, 11, n)))
    good_dia = np.minimum(90, np.round(rng.normal(78, 7, n)))
    high_sys = rng.random(n) < 0.8  # uncontrolled: systolic over target, or else diastolic over 90
    bad_sys = np.where(
        high_sys, target + 1 + np.floor(np.abs(rng.normal(0, 14, n))), target - np.floor(np.abs(rng.normal(0, 8, n)))
    )
    bad_dia = np.where(high_sys, np.round(rng.normal(86, 9, n)), 91 + np.floor(np.abs(rng.normal(0, 6, n))))
    systolic = np.where(on_register, np.where(controlled, good_sys, bad_sys), normal_sys)
    diastolic = np.where(on_register, np.where(controlled, good_dia, bad_dia), normal_dia)
    diastolic = np.clip(diastolic, 40, systolic - 10)
    # clipping can only lower a diastolic, so a controlled reading stays controlled and vice versa
    return systolic, diastolic, controlled


def add_bp_readings(
    ch: Chunk, person: np.ndarray, day: np.ndarray, systolic: np.ndarray, diastolic: np.ndarray
) -> None:
    """A reading is a parent BP code with systolic and diastolic children; some have no parent."""
    rng = ch.rng
    n = len(day)
    units = np.asarray(BP_UNITS)[rng.choice(len(BP_UNITS), n, p=BP_UNIT_P)]
    with_parent = rng.random(n) >= NO_PARENT_SHARE
    pools = ch.codes.pools
    parents = np.flatnonzero(with_parent)
    first = ch.record(Kind.BP_PARENT, person[parents], day[parents], pools["bp_parent"])
    parent_row = np.full(n, -1)
    parent_row[parents] = first + np.arange(len(parents))
    for kind, pool, value in ((Kind.BP_SYS, "bp_sys", systolic), (Kind.BP_DIA, "bp_dia", diastolic)):
        ch.record(kind, person, day, pools[pool], value=value, units=units, parent=parent_row)


def diabetes(ch: Chunk) -> dict[str, np.ndarray]:
    cfg = ch.config["diabetes"]
    rng, pop = ch.rng, ch.pop
    everyone = np.arange(pop.n)
    q0 = ch.quintile_at_entry()
    type1 = rng.random(pop.n) < cfg["type1_share"]
    onset = np.where(type1, ch.ages_to_day(everyone, 2 + rng.random(pop.n) * 28), lifetime_onset(ch, cfg, q0))
    delay = np.where(type1, 30, np.floor(rng.exponential(cfg["diagnosis_delay_years"] * YEAR, pop.n)))
    diagnosed = (onset < NEVER) & (type1 | (rng.random(pop.n) < cfg["diagnosed_share"]))
    diag = capped(np.where(diagnosed, onset + delay.astype(np.int64), NEVER), ch.last)
    people = np.flatnonzero(diag < NEVER)
    for flag, pool in ((True, "dm_t1_dx"), (False, "dm_t2_dx")):
        rows = people[type1[people] == flag]
        ch.record(Kind.DM_DX, rows, diag[rows], ch.codes.pools[pool], is_problem=np.ones(len(rows), bool))

    # HbA1c: diagnosed diabetics around the planted quintile mean; others occasionally, near normal.
    person_effect = rng.normal(0, cfg["hba1c_person_sd"], pop.n)
    p, d = poisson_events(rng, *ch.window(np.maximum(ch.observed_from, diag), ch.last), cfg["hba1c_tests_per_year"])
    mean = np.asarray(cfg["hba1c_mean_by_quintile"])[ch.quintile_at(p, d) - 1]
    mean += ch.world.drift.at("hba1c_mean", ch.practice_at(p, d), d)
    mean += ch.project_effect(
        "diabetes", p, d, lambda proj, pp, dd: np.asarray(proj["effect_by_quintile"])[ch.quintile_at(pp, dd) - 1]
    )
    value = np.clip(np.round(mean + person_effect[p] + rng.normal(0, cfg["hba1c_test_sd"], len(d))), 25, 195)
    ch.truth.setdefault("hba1c_diabetic", []).append((ch.quintile_at(p, d), value))
    age40 = ch.ages_to_day(everyone, 40)
    q, e = poisson_events(rng, *ch.window(np.maximum(ch.observed_from, age40), np.minimum(diag, ch.last)),
                          cfg["hba1c_tests_per_year_non_diabetic_40_plus"])
    undiagnosed_case = e >= onset[q]
    other = np.clip(np.round(np.where(undiagnosed_case, rng.normal(56, 8, len(e)), rng.normal(38, 4, len(e)))), 25, 195)
    person, day = np.concatenate([p, q]), np.concatenate([d, e])
    ch.record(Kind.HBA1C, person, day, ch.codes.pools["hba1c_ifcc"], value=np.concatenate([value, other]),
              units=np.full(len(day), UNIT["mmol/mol"]))

    # Frailty among diagnosed diabetics reaching 65 while registered.
    age65 = ch.ages_to_day(everyone, 65)
    frail_from = np.maximum(np.maximum(diag, age65), ch.observed_from)
    u = rng.random(pop.n)
    for pool, lo, hi in (("frail_severe", 0, cfg["frailty_severe_share_65_plus"]),
                         ("frail_moderate", cfg["frailty_severe_share_65_plus"],
                          cfg["frailty_severe_share_65_plus"] + cfg["frailty_moderate_share_65_plus"])):
        rows = np.flatnonzero((diag < NEVER) & (u >= lo) & (u < hi))
        fday = capped(frail_from[rows] + uniform_days(rng, len(rows), 0, 3 * YEAR), ch.last[rows])
        ok = fday < NEVER
        ch.record(Kind.FRAIL, rows[ok], fday[ok], ch.codes.pools[pool])

    treated = people[rng.random(len(people)) < cfg["treated_share"]]
    t1 = treated[type1[treated]]
    t2 = treated[~type1[treated]]
    prescribe(ch, t1, diag[t1], ["insulin"])
    prescribe(ch, t2, diag[t2], ["metformin", "sulfonylurea"])
    return {"dm_onset": onset, "dm_diagnosed": diag, "dm_type1": type1}


def prescribe(ch: Chunk, person: np.ndarray, from_day: np.ndarray, classes: list[str]) -> None:
    """A repeat authorisation (medication_statement) soon after diagnosis, re-authorised yearly."""
    classes = [c for c in classes if c in ch.codes.drugs]
    if not classes or not len(person):
        return
    rng = ch.rng
    drug = rng.integers(0, len(classes), len(person))
    first = np.maximum(from_day + uniform_days(rng, len(person), 0, 60), ch.observed_from[person])
    count = np.clip(np.floor((ch.last[person] - first) / YEAR).astype(np.int64) + 1, 0, 12)
    idx = np.repeat(np.arange(len(person)), count)
    k = np.arange(len(idx)) - np.repeat(np.cumsum(count) - count, count)
    day = first[idx] + np.floor(k * YEAR).astype(np.int64) + rng.integers(0, 14, len(idx))
    keep = day < ch.last[person[idx]]
    idx, day = idx[keep], day[keep]
    for c, name in enumerate(classes):
        rows = np.flatnonzero(drug[idx] == c)
        pool, bnf = ch.codes.drugs[name]
        core, _ = pool.pick(rng, np.zeros(len(rows), bool), np.zeros(len(rows), bool), local_share=0.0)
        ch.meds.add(person[idx[rows]], day[rows], core=core, non_core=core, bnf=np.full(len(rows), bnf))
