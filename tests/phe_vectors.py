"""Shared by the statistical macro tests: PHE's published vectors (tests/fixtures/phe) and the 1e-9 relative
comparison of closed-form statistics (metrics.md section 5; every value agrees to about 1e-12)."""

from __future__ import annotations

from typing import Any

from vector_db import FIXTURES as FIXTURE_ROOT
from vector_db import VectorDb, expected_rows, matches, mismatches

FIXTURES = FIXTURE_ROOT / "phe"
REL = 1e-9
Row = dict[str, Any]
StatsDb = VectorDb


def phe_expected(name: str) -> list[Row]:
    return expected_rows(FIXTURES / name)


def phe_matches(actual: Any, expected: Any, rel: float = REL) -> bool:
    return matches(actual, expected, rel)


def phe_mismatches(actual: list[Row], expected: list[Row], columns: dict[str, str], rel: float = REL) -> list[str]:
    return mismatches(actual, expected, columns, rel)
