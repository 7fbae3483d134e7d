"""`ground_truth.json`: what was planted, and what it produced, computed from the clean (pre-dirt) state."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import numpy as np

from .config import from_day, to_day
from .context import Chunk
from .population import NEVER
from .world import World

# a project's fields that the truth gives as ODS codes and dates instead of indices and day numbers
TRUTH_SKIPS = ("practices", "comparison_practices", "start_day", "end_day", "practice_start_days")


def year_ends(start: int, extract: int) -> list[int]:
    """Every 31 March inside the period (the QOF achievement dates)."""
    first = from_day(start).year
    days = [to_day(dt.date(y, 3, 31)) for y in range(first, first + 200)]
    return [d for d in days if start <= d < extract]


class Truth:
    def __init__(self, world: World, config: dict[str, Any], start: int, extract: int) -> None:
        self.world = world
        self.config = config
        self.dates = year_ends(start, extract)
        self.list_size = np.zeros((world.n_practices, len(self.dates)), np.int64)
        self.dirt: Counter[str] = Counter()
        self.people: Counter[str] = Counter()
        n_q = 5
        self.bp = np.zeros((n_q, 2), np.int64)  # readings on register, controlled
        self.hba1c = np.zeros((n_q, 2))  # tests, sum of values
        self.cervical = np.zeros((n_q, 2), np.int64)  # invitations, attended
        self.outreach = np.zeros((n_q, 2), np.int64)  # overdue Core20 women contacted, screened
        self.imms = np.zeros((n_q, 4), np.int64)  # children, primary, mmr1, mmr2
        self.prevalence = np.zeros((len(self.dates), n_q, 5), np.int64)  # registered, htn, htn dx, dm, dm dx

    def add_chunk(self, ch: Chunk, states: dict[str, np.ndarray], dirt_counts: dict[str, int], n_real: int) -> None:
        pop = ch.pop
        stints = pop.stints
        real = np.flatnonzero(pop.is_real[stints.person])
        for k, day in enumerate(self.dates):
            on = real[(stints.start[real] <= day) & (day < stints.end[real])]
            self.list_size[:, k] += np.bincount(stints.value[on], minlength=self.world.n_practices)
            person = stints.person[on]
            q = ch.quintile_at(person, np.full(len(person), day)) - 1
            for j, flag in enumerate((
                np.ones(len(person), bool),
                states["htn_onset"][person] <= day,
                states["htn_diagnosed"][person] <= day,
                states["dm_onset"][person] <= day,
                states["dm_diagnosed"][person] <= day,
            )):
                np.add.at(self.prevalence[k, :, j], q[flag], 1)
        self.dirt.update(dirt_counts)
        self.people.update({
            "persons": n_real,
            "births": int(pop.is_birth[:n_real].sum()),
            "deaths": int((pop.death[:n_real] < NEVER).sum()),
            "practice_transfers": int((stints.end_reason[stints.person < n_real] == 3).sum()),
        })
        for quintile, controlled in ch.truth.get("bp_readings_on_register", []):
            np.add.at(self.bp, (quintile - 1, 0), 1)
            np.add.at(self.bp, (quintile - 1, 1), controlled.astype(int))
        for quintile, value in ch.truth.get("hba1c_diabetic", []):
            np.add.at(self.hba1c, (quintile - 1, 0), 1)
            np.add.at(self.hba1c, (quintile - 1, 1), value)
        for quintile, attended in ch.truth.get("cervical_invitations", []):
            np.add.at(self.cervical, (quintile - 1, 0), 1)
            np.add.at(self.cervical, (quintile - 1, 1), attended.astype(int))
        for quintile, screened in ch.truth.get("cervical_outreach", []):
            np.add.at(self.outreach, (quintile - 1, 0), 1)
            np.add.at(self.outreach, (quintile - 1, 1), screened.astype(int))
        for quintile, primary, mmr1, mmr2 in ch.truth.get("immunisation_courses", []):
            for j, flag in enumerate((np.ones(len(quintile), bool), primary, mmr1, mmr2)):
                np.add.at(self.imms[:, j], quintile[flag] - 1, 1)

    def to_json(self) -> dict[str, Any]:
        world = self.world
        dates = [str(from_day(d)) for d in self.dates]
        config = {k: v for k, v in self.config.items() if not k.startswith("_")}
        projects = []
        for p in world.projects:
            projects.append({
                **{k: v for k, v in p.items() if k not in TRUTH_SKIPS},
                "practice_start_dates": [str(from_day(d)) for d in p["practice_start_days"]],
                "practice_codes": [world.practice_ods[i] for i in p["practices"]],
                "comparison_practice_codes": [world.practice_ods[i] for i in p["comparison_practices"]],
            })
        return {
            "config": config,
            "dirty_rate": self.config["_dirty_rate"],
            "year_ends": dates,
            "drift_years": world.drift.year_starts(),
            "practices": [
                {
                    "practice_code": world.practice_ods[p],
                    "practice_name": world.practice_names[p],
                    "pcn_code": world.pcn_codes[world.practice_pcn[p]],
                    "borough_code": world.borough_codes[world.practice_borough[p]],
                    "clinical_system": "TPP" if world.practice_is_tpp[p] else "EMIS",
                    "bp_control_practice_effect": round(float(world.practice_effect_hyp[p]), 6),
                    "cervical_attendance_practice_effect": round(float(world.practice_effect_cs[p]), 6),
                    # year-to-year drift (src/equity_qi/generator/drift.py), one value per entry of drift_years
                    "drift_by_year": {
                        quantity: np.round(offsets[p], 6).tolist() for quantity, offsets in world.drift.offsets.items()
                    },
                    "registered_at_year_end": dict(zip(dates, self.list_size[p].tolist())),
                }
                for p in range(world.n_practices)
            ],
            "qi_projects": projects,
            "dirt": dict(sorted(self.dirt.items())),
            "people": dict(sorted(self.people.items())),
            "realised": {
                "note": "clean-state aggregates by national IMD quintile (index 0 = quintile 1, most deprived)",
                "bp_readings_on_register": {"n": self.bp[:, 0].tolist(), "controlled": self.bp[:, 1].tolist()},
                "hba1c_diabetic_tests": {
                    "n": self.hba1c[:, 0].astype(int).tolist(),
                    "mean": np.round(self.hba1c[:, 1] / np.maximum(self.hba1c[:, 0], 1), 4).tolist(),
                },
                "cervical_invitations": {"n": self.cervical[:, 0].tolist(), "attended": self.cervical[:, 1].tolist()},
                "cervical_outreach_overdue_core20": {
                    "n": self.outreach[:, 0].tolist(), "screened": self.outreach[:, 1].tolist(),
                },
                "immunisation_children": {
                    "n": self.imms[:, 0].tolist(), "dtap_primary": self.imms[:, 1].tolist(),
                    "mmr1": self.imms[:, 2].tolist(), "mmr2": self.imms[:, 3].tolist(),
                },
                "prevalence_at_year_end": {
                    date: {
                        "registered": self.prevalence[k, :, 0].tolist(),
                        "hypertension_true": self.prevalence[k, :, 1].tolist(),
                        "hypertension_diagnosed": self.prevalence[k, :, 2].tolist(),
                        "diabetes_true": self.prevalence[k, :, 3].tolist(),
                        "diabetes_diagnosed": self.prevalence[k, :, 4].tolist(),
                    }
                    for k, date in enumerate(dates)
                },
            },
        }
