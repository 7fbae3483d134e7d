"""The published layer under disclosure control (issue 15), checked by the independent audit
(equity_qi.disclosure_audit) on a build of a dirty extract: no count from 1 to 7, every count a multiple of 5, no
rate beside a withheld count, no additive group with exactly one withheld cell, no identifier. The audit is shown
to fail on each kind of violation planted in a copy of the warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from equity_qi.disclosure_audit import audit
from equity_qi.disclosure_audit import main as audit_main


@pytest.fixture(scope="module")
def warehouse(dbt_warehouse, dirty_extract) -> Path:
    return dbt_warehouse(dirty_extract(11, "parquet"))


def test_published_rates_pass_the_audit(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert audit(con) == []
        reasons = dict(con.execute(
            "select coalesce(suppression_reason, 'published'), count(*) from published.indicator_rates group by 1"
        ).fetchall())
    # a small world: practice strata are often small, and some must go to protect them
    assert set(reasons) == {"published", "small count", "complementary"}
    assert reasons["published"] > 1000 and reasons["complementary"] > 10


def test_published_counts_are_the_marts_counts_rounded(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("""
            select m.numerator, m.denominator, m.value, p.numerator, p.denominator, p.value, p.suppression_reason
            from published.indicator_rates p
            join marts.fct_indicator_rates m
                using (indicator_id, period_end, geography_level, geography_code, dimension, stratum)
            where m.value_type = 'proportion'
        """).fetchall()
    assert len(rows) > 1000
    for numerator, denominator, value, pub_numerator, pub_denominator, pub_value, reason in rows:
        if reason is None:
            assert pub_denominator == 5 * int(denominator / 5 + 0.5) and pub_numerator == 5 * int(numerator / 5 + 0.5)
            assert pub_value == value  # the rate comes from the exact counts
        else:
            assert pub_numerator is None and pub_denominator is None and pub_value is None
        small = 1 <= denominator <= 7 or 1 <= numerator <= 7 or 1 <= denominator - numerator <= 7
        assert (reason == "small count") == small


LONE_COMPLEMENT = """
    -- a complementary row that is one of exactly two withheld cells of its breakdown group (strata and overall)
    select p.indicator_id, p.period_end, p.geography_level, p.geography_code, p.dimension, p.stratum
    from published.indicator_rates p
    where p.suppression_reason = 'complementary' and p.dimension != 'overall' and (
        select count(*) from published.indicator_rates g
        where g.indicator_id = p.indicator_id and g.period_end = p.period_end
          and g.geography_level = p.geography_level and g.geography_code = p.geography_code
          and g.dimension in (p.dimension, 'overall') and g.denominator is null
    ) = 2
    limit 1
"""


@pytest.mark.parametrize(("violation", "expected"), [
    ("update published.indicator_rates set denominator = 3 where rowid = (select min(rowid) from "
     "published.indicator_rates where denominator > 10)", "counts from 1 to 7"),
    ("update published.indicator_rates set denominator = 12 where rowid = (select min(rowid) from "
     "published.indicator_rates where denominator > 10)", "not a multiple of 5"),
    ("update published.indicator_rates set value = 0.5 where rowid = (select min(rowid) from "
     "published.indicator_rates where denominator is null)", "beside a withheld denominator"),
    ("restore a complement", "breakdown groups with exactly one withheld cell"),
    ("create table published.leak as select 'Zzyzx' as last_name", "column named like a direct identifier"),
])
def test_the_audit_fails_on_a_planted_violation(warehouse: Path, tmp_path: Path, violation: str,
                                                expected: str) -> None:
    copy = tmp_path / "broken.duckdb"
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        if violation == "restore a complement":
            keys = con.execute(LONE_COMPLEMENT).fetchone()
            assert keys, "the build should have such a complement"
            con.execute("""
                update published.indicator_rates p set numerator = 5 * round(m.numerator / 5),
                    denominator = 5 * round(m.denominator / 5), value = m.value, suppression_reason = null
                from marts.fct_indicator_rates m
                where p.indicator_id = ? and p.period_end = ? and p.geography_level = ? and p.geography_code = ?
                  and p.dimension = ? and p.stratum = ?
                  and (m.indicator_id, m.period_end, m.geography_level, m.geography_code, m.dimension, m.stratum)
                    = (p.indicator_id, p.period_end, p.geography_level, p.geography_code, p.dimension, p.stratum)
            """, list(keys))
        else:
            con.execute(violation)
        findings = audit(con)
    assert any(expected in finding for finding in findings), findings
    assert audit_main([str(copy)]) == 1
