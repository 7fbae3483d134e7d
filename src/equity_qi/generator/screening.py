"""Cervical screening, childhood immunisations, ethnicity recording and routine background codes."""

from __future__ import annotations

import numpy as np

from .context import UNIT, Chunk, Kind, capped, uniform_days
from .events import poisson_events
from .population import ETHNIC_LETTERS, NEVER, YEAR
from .world import project_cohorts

CORE20_MAX_DECILE = 2


def cervical_screening(ch: Chunk) -> None:
    """Invitations every 3 years from 25 to 49 and every 5 years from 50 to 64 (national call/recall, so not
    coded in the GP record); each is attended with the planted probability; hysterectomy ends them."""
    cfg = ch.config["cervical_screening"]
    rng, pop = ch.rng, ch.pop
    women = np.flatnonzero(pop.sex_female)
    n = len(women)
    hysterectomy = np.where(rng.random(n) < cfg["hysterectomy_share_by_65"],
                            ch.ages_to_day(women, 35 + rng.random(n) * 29), NEVER)
    hysterectomy = capped(hysterectomy, ch.last[women])
    done = np.flatnonzero(hysterectomy < NEVER)
    ch.record(Kind.HYSTERECTOMY, women[done], hysterectomy[done], ch.codes.pools["hysterectomy"])

    phase3, phase5 = rng.random(n) * 3, rng.random(n) * 5  # each woman keeps her recall phase
    # the first invitation comes at 24.5 years (the NHS programme), then every 3 years (a little later each
    # time, by up to three months: recall runs from the last invitation's processing); from 50 every 5 years
    ages = [24.5 + (3 + phase3 / 12) * k for k in range(9)] + [50 + phase5 + 5 * k for k in range(3)]
    limits = [50.0] * 9 + [65.0] * 3
    person, day = [], []
    stop = np.minimum(ch.last[women], hysterectomy)
    for age, limit in zip(ages, limits):
        d = ch.ages_to_day(women, age)
        ok = (age < limit) & (d >= ch.observed_from[women]) & (d < stop)
        person.append(women[ok])
        day.append(d[ok])
    person, day = np.concatenate(person), np.concatenate(day)

    decile = ch.world.lsoas.imd_decile[ch.lsoa_at(person, day)]
    groups = cfg["attend_offset_by_group"]
    offset = np.choose(ch.pop.group[person], [groups["other"], groups["black"], groups["south_asian"]])
    p_attend = np.asarray(cfg["attend_by_quintile"])[(decile + 1) // 2 - 1] + offset
    practice = ch.practice_at(person, day)
    p_attend += ch.world.practice_effect_cs[practice] + ch.world.drift.at("cervical_attendance", practice, day)
    p_attend += ch.project_effect(
        "cervical_screening", person, day,
        lambda proj, p, d: np.where(ch.world.lsoas.imd_decile[ch.lsoa_at(p, d)] <= CORE20_MAX_DECILE,
                                    proj["effect_core20"], proj["effect_other"]),
    )
    # Persistent non-attenders never attend; the others attend with p / (1 - share), so that the attendance per
    # invitation stays p on average while a woman's attendances are correlated across invitations.
    share = cfg["persistent_non_attender_share"]
    never = np.zeros(pop.n, bool)
    never[women] = rng.random(n) < share
    attended = ~never[person] & (rng.random(len(day)) < np.clip(p_attend / (1 - share), 0.02, 0.98))
    ch.truth.setdefault("cervical_invitations", []).append(((decile + 1) // 2, attended))

    test_day = capped(day + uniform_days(rng, len(day), 0, 180), ch.last[person])
    rows = np.flatnonzero(attended & (test_day < NEVER))
    ch.record(Kind.SMEAR, person[rows], test_day[rows], ch.codes.pools["smear"])
    core20_outreach(ch, women, stop, person[rows], test_day[rows])
    missed = np.flatnonzero(~attended)
    u = rng.random(len(missed))
    for kind, pool, share, lo, hi in (
        (Kind.CS_DECLINE, "cs_decline", cfg["decline_share_of_non_attenders"], 0, 90),
        (Kind.CS_NO_RESPONSE, "cs_no_response", 0.25, 120, 180),
    ):
        sel = missed[rng.random(len(missed)) < share] if kind == Kind.CS_NO_RESPONSE else missed[u < share]
        d = capped(day[sel] + uniform_days(rng, len(sel), lo, hi), ch.last[person[sel]])
        ok = d < NEVER
        ch.record(kind, person[sel][ok], d[ok], ch.codes.pools[pool])


def core20_outreach(
    ch: Chunk, all_women: np.ndarray, all_stop: np.ndarray, screened: np.ndarray, screened_day: np.ndarray
) -> None:
    """A Core20 outreach project contacts, once on a day in its first year, each Core20 woman aged 25-64 at its
    practices who is overdue by her record (no test in 42 months aged 25-49, 66 months aged 50-64, as QOF counts
    cover); the planted share of them is screened within two months. `all_stop` is each woman's last day + 1 for
    screening (hysterectomy, exit or extract); `screened` and `screened_day` are her routine tests."""
    order = np.lexsort((screened_day, screened))
    screened, screened_day = screened[order], screened_day[order]
    for project in ch.world.projects:
        share = project.get("outreach_screened_share", 0.0)
        if project["clinical_area"] != "cervical_screening" or not project["planted"] or not share:
            continue
        # a staggered project's cohorts each contact their women in their own first year
        for start_day, practices in project_cohorts(project):
            _outreach_cohort(ch, project, start_day, practices, all_women, all_stop, screened, screened_day)


def _outreach_cohort(
    ch: Chunk, project: dict, start_day: int, practices: list[int], all_women: np.ndarray, all_stop: np.ndarray,
    screened: np.ndarray, screened_day: np.ndarray,
) -> None:
    """One start cohort of an outreach project (core20_outreach)."""
    rng, pop, share = ch.rng, ch.pop, project["outreach_screened_share"]
    first_year = min(365, project["end_day"] - start_day)
    day = start_day + uniform_days(rng, len(all_women), 0, first_year)
    age = ch.age_at(all_women, day)
    ok = (age >= 25) & (age < 65) & (day >= ch.observed_from[all_women]) & (day < all_stop)
    women, stop, day, age = all_women[ok], all_stop[ok], day[ok], age[ok]
    stint = pop.stints.lookup(women, day)
    at_project = (
        (pop.stints.start[stint] <= day) & (day < pop.stints.end[stint])
        & np.isin(pop.stints.value[stint], practices)
    )
    decile = ch.world.lsoas.imd_decile[ch.lsoa_at(women, day)]
    keep = np.flatnonzero(at_project & (decile <= CORE20_MAX_DECILE))
    women, stop, day, age = women[keep], stop[keep], day[keep], age[keep]
    # the woman's latest test before the contact, if any
    idx = np.searchsorted(screened * NEVER + screened_day, women * NEVER + day, side="left") - 1
    has_test = (idx >= 0) & (screened[np.maximum(idx, 0)] == women)
    last_test = np.where(has_test, screened_day[np.maximum(idx, 0)], -NEVER)
    overdue = day - last_test > np.where(age < 50, 42, 66) * YEAR / 12
    responded = overdue & (rng.random(len(day)) < share)
    test_day = capped(day + uniform_days(rng, len(day), 0, 60), stop)
    ch.truth.setdefault("cervical_outreach", []).append(
        (ch.quintile_at(women[overdue], day[overdue]), responded[overdue] & (test_day[overdue] < NEVER))
    )
    rows = np.flatnonzero(responded & (test_day < NEVER))
    ch.record(Kind.SMEAR, women[rows], test_day[rows], ch.codes.pools["smear"])


def immunisations(ch: Chunk) -> None:
    """DTaP/IPV/Hib/HepB at 8, 12 and 16 weeks; MMR1 with Hib/MenC and the PCV booster at one year; MMR2
    and the pre-school booster at 3 years 4 months. Courses are given with the planted probability."""
    cfg = ch.config["immunisations"]
    rng, pop = ch.rng, ch.pop
    children = np.flatnonzero(pop.birth >= ch.history - 6 * YEAR)
    n = len(children)
    quintile = ch.quintile_at(children, np.maximum(pop.birth[children], pop.entry[children]))
    late = np.where(rng.random(n) < cfg["late_dose_share"], rng.integers(20, 150, n), 0)
    primary = rng.random(n) < np.asarray(cfg["dtap_primary_by_quintile"])[quintile - 1]
    mmr1 = rng.random(n) < np.asarray(cfg["mmr1_by_quintile"])[quintile - 1]
    mmr2 = mmr1 & (rng.random(n) < cfg["mmr2_given_mmr1"])
    ch.truth.setdefault("immunisation_courses", []).append((quintile, primary, mmr1, mmr2))
    schedule = (
        ("dtap_1", primary, 56), ("dtap_2", primary, 84), ("dtap_3", primary, 112),
        ("mmr_1", mmr1, 366), ("hib_menc", mmr1, 366), ("pcv_booster", mmr1, 366),
        ("mmr_2", mmr2, 1218), ("dtap_booster", mmr2, 1218),
    )
    for dose, given, age_days in schedule:
        day = pop.birth[children] + age_days + late + rng.integers(0, 21, n)
        ok = given & (day >= ch.history) & (day < ch.last[children])
        ch.record(Kind.IMMUNISATION, children[ok], day[ok], ch.codes.immunisation[dose], legacy=True)


def ethnicity(ch: Chunk) -> np.ndarray:
    """Ethnicity codes: missing unevenly by deprivation, sometimes 'not stated', sometimes preceded by an
    older, conflicting code. Returns each person's recorded letter index (-1 = not recorded)."""
    cfg = ch.config["ethnicity_recording"]
    rng, pop = ch.rng, ch.pop
    q0 = ch.quintile_at_entry()
    recorded = rng.random(pop.n) >= np.asarray(cfg["not_recorded_by_quintile"])[q0 - 1]
    z = len(ETHNIC_LETTERS) - 1
    letter = np.where(rng.random(pop.n) < cfg["not_stated_share"], z, pop.ethnicity)
    day = np.minimum(pop.entry + uniform_days(rng, pop.n, 0, 180), ch.last - 1)
    conflict = recorded & (rng.random(pop.n) < cfg["conflicting_history_share"])
    older = (letter + rng.integers(1, z, pop.n)) % z
    people = np.flatnonzero(conflict)
    older_day = np.maximum(day[people] - rng.integers(30, 2000, len(people)), pop.birth[people])
    _record_ethnicity(ch, people, older_day, older[people])
    people = np.flatnonzero(recorded)
    _record_ethnicity(ch, people, day[people], letter[people])
    return np.where(recorded, letter, -1)


def _record_ethnicity(ch: Chunk, person: np.ndarray, day: np.ndarray, letter: np.ndarray) -> None:
    for k, pool in enumerate(ch.codes.ethnicity):
        rows = np.flatnonzero(letter == k)
        ch.record(Kind.ETHNICITY, person[rows], day[rows], pool)


def background(ch: Chunk) -> None:
    cfg = ch.config["background"]
    rng = ch.rng
    adult = np.maximum(ch.observed_from, ch.ages_to_day(np.arange(ch.pop.n), 18))
    person, day = poisson_events(rng, *ch.window(adult, ch.last), cfg["smoking_status_per_year_adult"])
    ch.record(Kind.SMOKING, person, day, ch.codes.pools["smoking"])
    person, day = poisson_events(rng, *ch.window(adult, ch.last), cfg["bmi_per_year_adult"])
    bmi = np.round(np.clip(rng.lognormal(np.log(27), 0.18, len(day)), 14, 70), 1)
    ch.record(Kind.BMI, person, day, ch.codes.pools["bmi"], value=bmi, units=np.full(len(day), UNIT["kg/m2"]))
