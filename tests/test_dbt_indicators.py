"""The indicator library on a generated extract: every indicator at every period, rates that add up and equal an
independent recount of the patient mart, QOF's exception rules, and the planted gradients recovered within the
reported confidence intervals."""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import PROJECT_DIR

REGISTRY = PROJECT_DIR / "seeds" / "indicators" / "ref_indicators.csv"
QI_PROJECT_STARTS = {"diabetes": "2021-10-01", "hypertension": "2022-04-01", "cervical_screening": "2021-04-01"}


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def warehouse(dbt_warehouse, indicator_extract) -> Path:
    return dbt_warehouse(indicator_extract)


@pytest.fixture(scope="module")
def truth(indicator_extract) -> dict:
    return json.loads((indicator_extract / "ground_truth.json").read_text())


def _registry() -> dict[str, dict[str, str]]:
    with REGISTRY.open() as handle:
        return {row["indicator_id"]: row for row in csv.DictReader(handle)}


def test_every_indicator_is_computed_at_the_periods_its_frequency_names(warehouse):
    periods = _query(warehouse, "select period_end, is_qof_year_end from intermediate.int_calendar__indicator_periods")
    year_ends = {p for p, is_year_end in periods if is_year_end}
    assert len(year_ends) == 10 and len(periods) == 4 + 72  # 4 year ends before the 72-month series
    computed = defaultdict(set)
    for indicator_id, period_end in _query(
        warehouse, "select distinct indicator_id, period_end from marts.fct_indicator_patient"
    ):
        computed[indicator_id].add(period_end)
    registry = _registry()
    assert set(computed) == set(registry)
    for indicator_id, row in registry.items():
        expected = year_ends if row["frequency"] == "annual" else {p for p, _ in periods}
        assert computed[indicator_id] == expected, indicator_id


def test_every_geography_and_breakdown_is_present(warehouse):
    rows = _query(
        warehouse,
        """select indicator_id, geography_level, dimension, count(distinct geography_code)
        from marts.fct_indicator_rates group by all""",
    )
    levels = {"practice": 12, "pcn": None, "borough": None, "icb": 1}
    dimensions = {
        "overall", "imd_quintile", "imd_decile", "ethnicity_group_5", "ethnicity_group_16", "age_band", "sex",
        "core20", "imd_quintile_x_ethnicity_group_5",
    }
    seen = defaultdict(set)
    for indicator_id, level, dimension, n_codes in rows:
        seen[indicator_id].add((level, dimension))
        if levels.get(level):
            assert n_codes == levels[level], (indicator_id, level, dimension)
    for indicator_id in _registry():
        assert seen[indicator_id] == {(level, d) for level in levels for d in dimensions}, indicator_id


def test_a_practices_monthly_series_keeps_the_overall_rate_and_imd_quintiles(warehouse):
    """var indicator_monthly_practice_dimensions: practices' months that are not QOF year ends have only these
    breakdowns; their year ends, and PCNs and the ICB every month, have every breakdown."""
    rows = _query(
        warehouse,
        """select geography_level, extract(month from period_end) = 3 as is_year_end, dimension
        from marts.fct_indicator_rates
        where indicator_id in (select indicator_id from marts.dim_indicator where frequency = 'monthly')
        group by all""",
    )
    kept = defaultdict(set)
    for level, is_year_end, dimension in rows:
        kept[(level, is_year_end)].add(dimension)
    assert kept[("practice", False)] == {"overall", "imd_quintile"}
    assert len(kept[("practice", True)]) == len(kept[("icb", False)]) == len(kept[("pcn", False)]) == 9


def test_strata_add_up_to_the_overall_row(warehouse):
    mismatches = _query(
        warehouse,
        """
        with strata as (
            select indicator_id, period_end, geography_level, geography_code, dimension,
                sum(numerator) as numerator, sum(denominator) as denominator, sum(excluded) as excluded
            from marts.fct_indicator_rates where dimension != 'overall' group by all
        )
        select strata.*, overall.numerator, overall.denominator
        from strata
        inner join marts.fct_indicator_rates as overall
            on strata.indicator_id = overall.indicator_id and strata.period_end = overall.period_end
            and strata.geography_level = overall.geography_level
            and strata.geography_code is not distinct from overall.geography_code
            and overall.dimension = 'overall'
        where abs(strata.numerator - overall.numerator) > 1e-6 * greatest(1, abs(overall.numerator))
            or strata.denominator != overall.denominator or strata.excluded != overall.excluded
        """,
    )
    assert mismatches == []
    # practices add up to the ICB as well
    practice_vs_icb = _query(
        warehouse,
        """
        select p.indicator_id, p.period_end, p.n, i.denominator
        from (select indicator_id, period_end, sum(denominator) as n from marts.fct_indicator_rates
              where geography_level = 'practice' and dimension = 'overall' group by all) as p
        inner join marts.fct_indicator_rates as i
            on p.indicator_id = i.indicator_id and p.period_end = i.period_end
            and i.geography_level = 'icb' and i.dimension = 'overall'
        where p.n != i.denominator
        """,
    )
    assert practice_vs_icb == []


def test_rates_equal_a_recount_of_the_patient_mart(warehouse):
    recount = _query(
        warehouse,
        """
        select indicator_id, period_end, coalesce(cast(imd_quintile as varchar), 'Unknown') as stratum,
            count(*) filter (where in_denominator) as denominator,
            count(*) filter (where in_denominator and in_numerator) as n_numerator,
            sum(value) filter (where in_denominator) as sum_value,
            count(*) filter (where not in_denominator) as excluded
        from marts.fct_indicator_patient group by all
        """,
    )
    rates = {
        (r[0], r[1], r[2]): r[3:]
        for r in _query(
            warehouse,
            """select indicator_id, period_end, stratum, numerator, denominator, excluded, value_type
            from marts.fct_indicator_rates where geography_level = 'icb' and dimension = 'imd_quintile'""",
        )
    }
    assert len(rates) == len(recount)
    for indicator_id, period_end, stratum, denominator, n_numerator, sum_value, excluded in recount:
        numerator, rate_denominator, rate_excluded, value_type = rates[(indicator_id, period_end, stratum)]
        expected_numerator = sum_value if value_type == "mean" else n_numerator
        assert rate_denominator == denominator and rate_excluded == excluded
        assert numerator == pytest.approx(expected_numerator or 0, rel=1e-9, abs=1e-9)


def test_wilson_and_t_limits_match_the_formulas(warehouse):
    rows = _query(
        warehouse,
        """select value_type, numerator, denominator, value, ci_lower, ci_upper, standard_deviation
        from marts.fct_indicator_rates where geography_level = 'icb' and denominator >= 2 using sample 300 rows""",
    )
    assert rows
    z = 1.959963984540054
    for value_type, numerator, n, value, lower, upper, sd in rows:
        if value_type == "proportion":
            x = numerator
            root = z * math.sqrt(z * z + 4 * x * (1 - x / n))
            assert lower == pytest.approx((2 * x + z * z - root) / (2 * (n + z * z)), rel=1e-9)
            assert upper == pytest.approx((2 * x + z * z + root) / (2 * (n + z * z)), rel=1e-9)
        else:
            half = (upper - lower) / 2
            assert value == pytest.approx((upper + lower) / 2, rel=1e-9)
            assert half / (sd / math.sqrt(n)) >= z  # a t quantile is at least the normal one


def test_achievers_are_never_excepted_but_a_removed_cervix_excludes_everyone(warehouse):
    counts = dict(
        _query(
            warehouse,
            """select exclusion_reason = 'cervix_removed', count(*) from marts.fct_indicator_patient
            where in_numerator and exclusion_reason is not null group by all""",
        )
    )
    assert counts.get(False, 0) == 0
    assert counts.get(True, 0) > 0  # hysterectomies after a screening test are planted


def _binomial_upper_quantile(n: int, p: float, q: float) -> int:
    """Smallest k with P(X <= k) >= q for X ~ Binomial(n, p)."""
    total = 0.0
    for k in range(n + 1):
        total += math.comb(n, k) * p**k * (1 - p) ** (n - k)
        if total >= q:
            return k
    return n


def _misses(warehouse: Path, indicator_id: str, expected_by_quintile: list[float], before: str | None) -> tuple:
    rows = _query(
        warehouse,
        f"""select period_end, stratum, value, ci_lower, ci_upper from marts.fct_indicator_rates
        where indicator_id = '{indicator_id}' and geography_level = 'icb' and dimension = 'imd_quintile'
            and stratum != 'Unknown'
            and period_end in (select period_end from intermediate.int_calendar__indicator_periods
                               where is_qof_year_end)
            {f"and period_end < '{before}'" if before else ''}""",
    )
    misses = [r for r in rows if not r[3] <= expected_by_quintile[int(r[1]) - 1] <= r[4]]
    return rows, misses


@pytest.mark.parametrize(
    ("indicator_id", "planted", "before"),
    [
        # mean latest HbA1c of diagnosed diabetics: the planted quintile means, before the diabetes QI project
        ("DM_MEAN_HBA1C", lambda c: c["diabetes"]["hba1c_mean_by_quintile"], QI_PROJECT_STARTS["diabetes"]),
        # first MMR by 18 months: every planted first dose (at 12-13 months, up to 169 days late) is in time
        ("VI002", lambda c: c["immunisations"]["mmr1_by_quintile"], None),
        # two MMR doses and the booster by 5: MMR1, then MMR2 with the booster (same visit) for a planted share
        (
            "VI003",
            lambda c: [p * c["immunisations"]["mmr2_given_mmr1"] for p in c["immunisations"]["mmr1_by_quintile"]],
            None,
        ),
    ],
)
def test_rates_by_imd_quintile_recover_the_planted_values(warehouse, truth, indicator_id, planted, before):
    """At each QOF year end the planted value of each IMD quintile lies inside the reported 95% interval, allowing
    only as many misses as chance would give (the binomial 99.9% quantile of 5% of the cells)."""
    expected = planted(truth["config"])
    rows, misses = _misses(warehouse, indicator_id, expected, before)
    assert len(rows) >= 15
    assert len(misses) <= _binomial_upper_quantile(len(rows), 0.05, 0.999), misses
    # and a flat line at the overall mean would not pass: the test can tell a gradient from none
    flat = [sum(expected) / 5] * 5
    _, flat_misses = _misses(warehouse, indicator_id, flat, before)
    if indicator_id == "DM_MEAN_HBA1C":
        assert len(flat_misses) > _binomial_upper_quantile(len(rows), 0.05, 0.999)


@pytest.mark.parametrize(("indicator_id", "area"), [("HYP008", "hypertension"), ("CS005", "cervical_screening")])
def test_proportions_rise_from_most_to_least_deprived_as_planted(warehouse, indicator_id, area):
    """BP control and screening coverage depend on more than the planted per-reading / per-invitation
    probabilities (testing frequency, exceptions, repeat invitations), so check the gradient's direction: pooled
    over the year ends before the QI project in that area, quintile 5's rate is above quintile 1's by more than
    twice the difference's standard error."""
    rows = _query(
        warehouse,
        f"""select stratum, sum(numerator), sum(denominator) from marts.fct_indicator_rates
        where indicator_id = '{indicator_id}' and geography_level = 'icb' and dimension = 'imd_quintile'
            and stratum in ('1', '5') and period_end < '{QI_PROJECT_STARTS[area]}'
            and extract(month from period_end) = 3
        group by stratum""",
    )
    pooled = {stratum: (numerator / denominator, denominator) for stratum, numerator, denominator in rows}
    (p1, n1), (p5, n5) = pooled["1"], pooled["5"]
    standard_error = math.sqrt(p1 * (1 - p1) / n1 + p5 * (1 - p5) / n5)
    assert p5 - p1 > 2 * standard_error, (p1, p5, standard_error)


def test_indirect_standardisation_is_one_for_the_whole_extract_and_expected_counts_add_up(warehouse):
    rows = _query(
        warehouse,
        """select indicator_id, period_end, dimension, sum(observed), sum(expected), max(standardised_value)
        from marts.fct_indicator_standardised_rates
        where method = 'isr_extract_age_sex' and geography_level = 'icb' group by all""",
    )
    assert rows
    for indicator_id, period_end, dimension, observed, expected, ratio in rows:
        assert expected == pytest.approx(observed, rel=1e-9), (indicator_id, period_end, dimension)
        if dimension == "overall":
            assert ratio == pytest.approx(1.0, rel=1e-9)


def test_direct_standardisation_matches_a_recomputation(warehouse):
    esp = dict(_query(warehouse, "select age_band, esp_population from reference.ref_esp2013"))
    bands = _query(
        warehouse,
        """select indicator_id, period_end, coalesce(cast(imd_quintile as varchar), 'Unknown'), age_band,
            count(*) filter (where in_numerator), count(*)
        from marts.fct_indicator_patient
        where is_qof_year_end and in_denominator and indicator_id in ('HYP_PREV', 'CS006') group by all""",
    )
    cells = defaultdict(dict)
    standard = defaultdict(set)
    for indicator_id, period_end, stratum, band, numerator, denominator in bands:
        cells[(indicator_id, period_end, stratum)][band] = (numerator, denominator)
        standard[(indicator_id, period_end)].add(band)
    reported = _query(
        warehouse,
        """select indicator_id, period_end, stratum, standardised_value, suppression_reason
        from marts.fct_indicator_standardised_rates
        where method = 'dsr_esp2013' and geography_level = 'icb' and dimension = 'imd_quintile'
            and indicator_id in ('HYP_PREV', 'CS006')""",
    )
    assert len(reported) == len(cells)
    computed = 0
    for indicator_id, period_end, stratum, value, reason in reported:
        counts = cells[(indicator_id, period_end, stratum)]
        used = standard[(indicator_id, period_end)]
        if used - set(counts):
            assert reason == "missing_age_band" and value is None
            continue
        events = sum(counts[b][0] for b in used)
        if events < 10:
            assert reason == "fewer_than_10_events"
            continue
        weights = sum(esp[b] for b in used)
        expected = sum(counts[b][0] * esp[b] / counts[b][1] for b in used) / weights
        assert value == pytest.approx(expected, rel=1e-9)
        computed += 1
    assert computed >= 10
