"""Generator configuration: the packaged defaults merged with an optional user YAML file, then checked."""

from __future__ import annotations

import copy
import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

QUINTILE_KEYS = ("_by_quintile",)
GROUPS = ("black", "south_asian", "other")


class ConfigError(ValueError):
    """A configuration value is missing, unknown or out of range."""


def load_config(path: Path | None = None) -> dict[str, Any]:
    """Return the default configuration, with the user's file (a partial YAML) merged over it."""
    text = resources.files("equity_qi.generator").joinpath("default_config.yaml").read_text()
    config = yaml.safe_load(text)
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        try:
            override = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"config file {path} is not valid YAML: {exc}") from exc
        if not isinstance(override, dict):
            raise ConfigError(f"config file {path} must hold a mapping at the top level")
        config = _merge(config, override, path="")
    validate(config)
    return config


def _merge(base: Any, override: Any, path: str) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = copy.deepcopy(base)
        for key, value in override.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in base and path not in ("population.ethnicity_by_borough",):
                raise ConfigError(f"unknown config key '{where}'")
            merged[key] = _merge(base[key], value, where) if key in base else value
        return merged
    return copy.deepcopy(override)


def parse_date(value: Any, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from exc


EPOCH = dt.date(1970, 1, 1)


def add_months(value: Any, months: int) -> dt.date:
    """The date `months` calendar months after `value` (the day clamped to the month's length)."""
    day = parse_date(value, "date")
    year, month = divmod(day.month - 1 + int(months), 12)
    first = dt.date(day.year + year, month + 1, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first.replace(day=min(day.day, last.day))


def to_day(value: Any) -> int:
    """A date (or 'YYYY-MM-DD') as the generator's integer day number: days since 1970-01-01."""
    return (parse_date(value, "date") - EPOCH).days


def from_day(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


def validate(config: dict[str, Any]) -> None:
    """Check shapes and ranges that would otherwise fail deep inside the generator."""
    start = parse_date(config["period"]["start"], "period.start")
    end = parse_date(config["period"]["end"], "period.end")
    if end <= start:
        raise ConfigError(f"period.end ({end}) must be after period.start ({start})")
    if (end - start).days < 365:
        raise ConfigError("the period must cover at least one year")
    _walk(config, "")
    shares = config["population"]["catchment"]
    if abs(sum(shares.values()) - 1.0) > 1e-6:
        raise ConfigError(f"population.catchment shares must sum to 1, got {sum(shares.values()):.4f}")
    if len(config["population"]["age_band_shares"]) != 19:
        raise ConfigError("population.age_band_shares needs 19 bands (0-4 ... 85-89, 90+)")
    if config["cervical_screening"]["persistent_non_attender_share"] >= 1:
        raise ConfigError("cervical_screening.persistent_non_attender_share must be below 1")
    for quantity, spec in config["practice_variation"].items():
        for key in ("walk_sd", "shock_sd"):
            if not isinstance(spec.get(key), (int, float)) or spec[key] < 0:
                raise ConfigError(f"practice_variation.{quantity}.{key} must be a number >= 0, got {spec.get(key)!r}")
    for project in config["qi_projects"]:
        for key in ("project_id", "indicator", "clinical_area", "start", "end", "n_practices", "n_comparison"):
            if key not in project:
                raise ConfigError(f"qi_projects entry {project.get('project_id', '?')} lacks '{key}'")
        if parse_date(project["end"], "qi end") <= parse_date(project["start"], "qi start"):
            raise ConfigError(f"qi project {project['project_id']}: end must be after start")
        if project["clinical_area"] not in ("hypertension", "cervical_screening", "diabetes"):
            raise ConfigError(f"qi project {project['project_id']}: unknown clinical_area")
        _check_stagger(project)


def _check_stagger(project: dict[str, Any]) -> None:
    """A staggered project's `practice_start_offsets_months`: one whole number of months >= 0 per practice, each
    practice starting before the project ends."""
    offsets = project.get("practice_start_offsets_months")
    if offsets is None:
        return
    where = f"qi project {project['project_id']}: practice_start_offsets_months"
    if not isinstance(offsets, list) or len(offsets) != project["n_practices"]:
        raise ConfigError(f"{where} needs one offset per practice ({project['n_practices']}), got {offsets!r}")
    for offset in offsets:
        if not isinstance(offset, int) or offset < 0:
            raise ConfigError(f"{where} must be whole months >= 0, got {offset!r}")
        if add_months(project["start"], offset) >= parse_date(project["end"], "qi end"):
            raise ConfigError(f"{where}: an offset of {offset} months starts after the project's end")


def _walk(node: Any, path: str) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if key.endswith("_by_quintile"):
                _check_quintiles(value, where)
            elif (
                key.startswith("rr_by_group") or key.startswith("attend_offset_by_group")
            ) and set(value) != set(GROUPS):
                raise ConfigError(f"{where} needs exactly the groups {GROUPS}")
            _walk(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, f"{path}[{i}]")
    if path.endswith(("_share", "_share_65_plus", "_shares_of_non_attenders", "mmr2_given_mmr1")) and (
        not isinstance(node, (int, float)) or not 0 <= node <= 1
    ):
        raise ConfigError(f"{path} must be a probability in [0, 1], got {node!r}")


def _check_quintiles(value: Any, where: str) -> None:
    if not isinstance(value, list) or len(value) != 5 or not all(isinstance(v, (int, float)) for v in value):
        raise ConfigError(f"{where} must be a list of 5 numbers [q1..q5], got {value!r}")
    not_probabilities = ("rr_", "turnover_rr", "hba1c_mean", "diagnosis_delay", "effect")
    probability_like = not where.split(".")[-1].startswith(not_probabilities)
    probability_like = probability_like and "per_year" not in where
    if probability_like and not all(0 <= v <= 1 for v in value):
        raise ConfigError(f"{where} must hold probabilities in [0, 1], got {value!r}")
