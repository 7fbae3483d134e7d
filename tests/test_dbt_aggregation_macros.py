"""The aggregation macros (macros/aggregation) on a worked example: rolled_up_breakdowns sums every breakdown at
practice level in one grouping-sets scan (stratified_sums) and rolls the practice rows up to PCN, borough and ICB
(geography_rollup). Two practices in two PCNs of one borough; a NULL stratum stays a stratum of its breakdown."""

from __future__ import annotations

import pytest

from vector_db import VectorDb, build_vector_db

SQL = """
with
cells as (
    select * from (values
        ('I1', 'P1', '1', 'male', 2, 1),
        ('I1', 'P1', '2', 'female', 3, 2),
        ('I1', 'P2', '1', 'female', 5, 5),
        ('I1', 'P2', '1', null, 1, 0)
    ) as cells (indicator_id, practice_code, stratum_imd_quintile, stratum_sex, n_denominator, n_numerator)
),
practices as (
    select * from (values ('P1', 'N1', 'B1', 'ICB'), ('P2', 'N2', 'B1', 'ICB'))
        as practices (practice_code, pcn_code, borough_code, icb_code)
)
select * from (
    {{ rolled_up_breakdowns('cells', ['indicator_id'], ['overall', 'imd_quintile', 'sex'],
                            ['n_denominator', 'n_numerator'], 'practices') }}
) as sums
"""

# (geography_level, geography_code, dimension, stratum): (denominator, numerator)
P1 = {("overall", "All"): (5, 3), ("imd_quintile", "1"): (2, 1), ("imd_quintile", "2"): (3, 2),
      ("sex", "male"): (2, 1), ("sex", "female"): (3, 2)}
P2 = {("overall", "All"): (6, 5), ("imd_quintile", "1"): (6, 5), ("sex", "female"): (5, 5), ("sex", None): (1, 0)}
BOTH = {("overall", "All"): (11, 8), ("imd_quintile", "1"): (8, 6), ("imd_quintile", "2"): (3, 2),
        ("sex", "male"): (2, 1), ("sex", "female"): (8, 7), ("sex", None): (1, 0)}
EXPECTED = {
    **{("practice", "P1", *k): v for k, v in P1.items()}, **{("pcn", "N1", *k): v for k, v in P1.items()},
    **{("practice", "P2", *k): v for k, v in P2.items()}, **{("pcn", "N2", *k): v for k, v in P2.items()},
    **{("borough", "B1", *k): v for k, v in BOTH.items()}, **{("icb", "ICB", *k): v for k, v in BOTH.items()},
}


@pytest.fixture(scope="module")
def vectors(tmp_path_factory: pytest.TempPathFactory) -> VectorDb:
    return build_vector_db(tmp_path_factory.mktemp("aggregation"), [], seeds=("ref_z_values",))


def test_rolled_up_breakdowns_sum_every_breakdown_at_every_geography(vectors: VectorDb) -> None:
    rows = vectors.show(SQL)
    got = {(r["geography_level"], r["geography_code"], r["dimension"], r["stratum"]):
           (r["n_denominator"], r["n_numerator"]) for r in rows}
    assert len(rows) == len(got)  # one row per (geography, breakdown, stratum)
    assert {r["indicator_id"] for r in rows} == {"I1"}
    assert got == EXPECTED
