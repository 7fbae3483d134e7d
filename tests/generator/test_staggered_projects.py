"""Staggered QI projects in the generator: `practice_start_offsets_months` gives each practice its own start (a PCN
rolling a project out practice by practice); the config is checked, the world keeps each practice's start day and
groups them into start cohorts, and qi_projects.csv lists the dates (its optional practice_start_dates column)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from equity_qi.generator.config import ConfigError, add_months, from_day, load_config
from equity_qi.generator.reference import Reference
from equity_qi.generator.world import build_world, project_cohorts

STAGGERED = """\
qi_max_practice_share: 0.25
qi_projects:
  - project_id: QI-BP-S
    title: "rolled out"
    indicator: HYP008
    clinical_area: hypertension
    n_practices: 4
    n_comparison: 4
    start: "2022-04-01"
    end: "2024-03-31"
    practice_start_offsets_months: {offsets}
    effect_by_quintile: [0.1, 0.1, 0.1, 0.1, 0.1]
"""


def _config(tmp_path: Path, offsets: str) -> dict:
    override = tmp_path / "config.yaml"
    override.write_text(STAGGERED.format(offsets=offsets))
    return load_config(override)


def test_add_months_keeps_the_day_inside_the_month() -> None:
    assert add_months("2022-04-01", 18) == dt.date(2023, 10, 1)
    assert add_months("2023-01-31", 1) == dt.date(2023, 2, 28)
    assert add_months("2024-01-31", 1) == dt.date(2024, 2, 29)
    assert add_months("2022-11-15", 2) == dt.date(2023, 1, 15)


@pytest.mark.parametrize(("offsets", "message"), [
    ("[0, 6]", "one offset per practice"),
    ("[0, 0, -1, 6]", "whole months >= 0"),
    ("[0, 0, 1.5, 6]", "whole months >= 0"),
    ("[0, 0, 6, 24]", "starts after the project's end"),
])  # fmt: skip
def test_bad_offsets_are_refused_with_the_reason(tmp_path: Path, offsets: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _config(tmp_path, offsets)


def test_each_practice_starts_on_its_own_date_in_cohorts(tmp_path: Path) -> None:
    config = _config(tmp_path, "[0, 12, 0, 12]")
    world = build_world(config, Reference(), 20_000, 16, seed=3)
    [project] = world.projects
    starts = [str(from_day(d)) for d in project["practice_start_days"]]
    assert starts == ["2022-04-01", "2023-04-01", "2022-04-01", "2023-04-01"]
    cohorts = project_cohorts(project)
    assert [str(from_day(day)) for day, _ in cohorts] == ["2022-04-01", "2023-04-01"]
    assert [practices for _, practices in cohorts] == [project["practices"][0::2], project["practices"][1::2]]


def test_a_project_without_offsets_is_one_cohort(tmp_path: Path) -> None:
    override = tmp_path / "config.yaml"
    override.write_text(STAGGERED.replace("    practice_start_offsets_months: {offsets}\n", ""))
    world = build_world(load_config(override), Reference(), 20_000, 16, seed=3)
    [project] = world.projects
    assert project_cohorts(project) == [(project["start_day"], project["practices"])]
