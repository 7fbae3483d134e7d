"""The published layer under disclosure control (issue 15), checked by the independent audit
(equity_qi.disclosure_audit) on a build of a dirty extract: no count from 1 to 7, every count a multiple of 5, no
rate beside a withheld count, no additive group with exactly one withheld cell (nested breakdowns included), no index
over a withheld stratum, no SPC centre line carrying a withheld point, no identifier. The published values equal
the marts' where nothing is withheld. The audit is shown to fail on each kind of violation planted in a copy of the
warehouse."""

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


def test_indices_are_published_only_over_published_strata(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("""
            select p.suppression_reason, p.estimate, p.ci_lower, m.estimate, m.ci_lower, m.reliability,
                exists (select 1 from published.indicator_rates r
                    where (r.indicator_id, r.period_end, r.geography_level, r.geography_code, r.dimension)
                        = (p.indicator_id, p.period_end, p.geography_level, p.geography_code, p.dimension)
                        and r.stratum not in ('Unknown', 'Not recorded', 'Not stated') and r.denominator is null)
            from published.inequality_indices p
            join marts.fct_inequality_indices m
                using (indicator_id, period_end, geography_level, geography_code, dimension, measure)
        """).fetchall()
    assert len(rows) > 1000
    reasons = {row[0] for row in rows}
    assert {None, "stratum suppressed"} <= reasons
    for reason, estimate, ci_lower, mart_estimate, mart_ci_lower, reliability, withheld_stratum in rows:
        if withheld_stratum:
            assert reason == "stratum suppressed" and estimate is None and ci_lower is None
        else:
            assert (estimate, ci_lower) == (mart_estimate, mart_ci_lower)
            assert reason == (reliability if mart_estimate is None else None)


def test_spc_charts_equal_the_marts_where_no_point_is_withheld(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        same, differ, series_with_withheld = con.execute("""
            with withheld as (
                select distinct indicator_id, measure, geography_level, geography_code
                from published.spc where suppression_reason is not null
            ),
            pairs as (
                select
                    coalesce(abs(p.mean_value - m.mean_value) < 1e-9, p.mean_value is null and m.mean_value is null)
                    and coalesce(abs(p.upper_process_limit - m.upper_process_limit) < 1e-9,
                        p.upper_process_limit is null and m.upper_process_limit is null)
                    and p.variation_type is not distinct from m.variation_type as is_same,
                    p.mean_value as pub_mean,
                    w.indicator_id is not null as has_withheld
                from published.spc p
                join marts.fct_spc m using (indicator_id, measure, geography_level, geography_code, period_end)
                left join withheld w using (indicator_id, measure, geography_level, geography_code)
            )
            select
                count(*) filter (where not has_withheld and is_same),
                count(*) filter (where not has_withheld and not is_same),
                count(distinct case when has_withheld then pub_mean end)
            from pairs
        """).fetchone()
    assert same > 1000 and differ == 0
    assert series_with_withheld > 0  # a small world withholds some practice points


def test_equity_data_quality_counts_are_the_marts_sums_rounded(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("""
            with practice_sums as (
                select period_end, practice_code, sum(registered_patients) as registered,
                    sum(ethnicity_recorded) as recorded, sum(lsoa_known) as lsoa_known
                from marts.fct_dq_recording_completeness group by all
            )
            select s.registered, s.recorded, s.lsoa_known, p.denominator, p.ethnicity_recorded_count,
                p.lsoa_known_count, p.ethnicity_recorded_share, p.suppression_reason
            from published.equity_data_quality p
            join practice_sums s on s.period_end = p.period_end and s.practice_code = p.geography_code
            where p.geography_level = 'practice' and p.dimension = 'overall'
        """).fetchall()
        reasons = {r[0] for r in con.execute("select distinct suppression_reason from published.equity_data_quality")
                   .fetchall()}
    assert len(rows) > 20 and {None, "small count"} <= reasons
    for registered, recorded, lsoa_known, denominator, pub_recorded, pub_lsoa, share, reason in rows:
        if reason is None:
            assert (denominator, pub_recorded, pub_lsoa) == tuple(5 * int(n / 5 + 0.5)
                                                                 for n in (registered, recorded, lsoa_known))
            assert share == pytest.approx(recorded / registered, rel=1e-12)
        else:
            assert denominator is None and share is None


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


# quintile 1 withheld alone while its Core20 row (the same people) stays published
WITHHOLD_QUINTILE_1 = """
    update published.indicator_rates set numerator = null, denominator = null, value = null, ci_lower = null,
        ci_upper = null, suppression_reason = 'small count'
    where rowid = (
        select min(q.rowid) from published.indicator_rates q
        join published.indicator_rates c using (indicator_id, period_end, geography_level, geography_code)
        where q.dimension = 'imd_quintile' and q.stratum = '1' and q.denominator is not null
            and c.dimension = 'core20' and c.stratum = 'Core20' and c.denominator is not null)
"""

# the marts' centre lines, computed over every point (withheld ones too), copied into the published charts
CENTRE_LINES_FROM_EVERY_POINT = """
    update published.spc p set mean_value = m.mean_value
    from marts.fct_spc m
    where (m.indicator_id, m.measure, m.geography_level, m.geography_code, m.period_end)
        = (p.indicator_id, p.measure, p.geography_level, p.geography_code, p.period_end)
        and p.value is not null and abs(m.mean_value - p.mean_value) > 1e-6
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
    (WITHHOLD_QUINTILE_1, "core20 groups with exactly one withheld cell"),
    ("update published.inequality_indices set estimate = 0.1 where rowid = (select min(rowid) from "
     "published.inequality_indices where suppression_reason = 'stratum suppressed')",
     "estimates over a withheld stratum"),
    (CENTRE_LINES_FROM_EVERY_POINT, "points whose limits use withheld points"),
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
