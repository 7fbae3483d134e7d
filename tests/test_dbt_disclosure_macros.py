"""The disclosure-control macros (macros/disclosure) on worked examples: OpenSAFELY's redaction and rounding of
person counts, and complementary suppression over additive groups, including a complement that suppresses a
group's total and the pass that then protects the other groups sharing that total."""

from __future__ import annotations

import pytest

from vector_db import VectorDb, build_vector_db


@pytest.fixture(scope="module")
def vectors(tmp_path_factory: pytest.TempPathFactory) -> VectorDb:
    return build_vector_db(tmp_path_factory.mktemp("disclosure"), [], seeds=("ref_z_values",))


ROUNDING_SQL = """
select
    n,
    {{ sdc_is_redacted('n') }} as is_redacted,
    {{ sdc_rounded_count('n') }} as published,
    {{ sdc_rounded_count('n', 'n = 100') }} as published_unless_100
from (values (0), (1), (7), (8), (12), (13), (17), (18), (100), (cast(null as integer))) as counts (n)
"""


def test_counts_1_to_7_are_redacted_and_others_rounded_to_5(vectors: VectorDb) -> None:
    rows = {r["n"]: r for r in vectors.show(ROUNDING_SQL)}
    published = {n: r["published"] for n, r in rows.items()}
    assert published == {0: 0, 1: None, 7: None, 8: 10, 12: 10, 13: 15, 17: 15, 18: 20, 100: 100, None: None}
    assert {n for n, r in rows.items() if r["is_redacted"]} == {1, 7}
    assert rows[0]["is_redacted"] is False and rows[None]["is_redacted"] is None
    assert rows[100]["published_unless_100"] is None and rows[18]["published_unless_100"] == 20


def suppression(vectors: VectorDb, cells: str, members: str, passes: int = 4) -> dict[str, str | None]:
    sql = f"""
    with
    cells as (select * from (values {cells}) as cells (cell_id, value, is_primary)),
    members as (select * from (values {members}) as members (group_id, cell_id, is_total)),
    states as ({{{{ complementary_suppression('cells', 'members', passes={passes}) }}}})
    select * from states
    """
    rows = vectors.show(sql)
    assert all(r["is_suppressed"] == (r["suppression_reason"] is not None) for r in rows)
    return {r["cell_id"]: r["suppression_reason"] for r in rows}


def test_one_small_stratum_takes_the_smallest_non_zero_stratum_with_it(vectors: VectorDb) -> None:
    # a breakdown T = A + Z + B + C with A = 3 redacted: A = T - Z - B - C unless another part is withheld too; the
    # zero is passed over (a structural zero is known), so the complement is B, the smallest non-zero part
    got = suppression(
        vectors,
        "('T', 35, false), ('A', 3, true), ('Z', 0, false), ('B', 12, false), ('C', 20, false)",
        "('g', 'T', true), ('g', 'A', false), ('g', 'Z', false), ('g', 'B', false), ('g', 'C', false)",
    )
    assert got == {"T": None, "A": "small count", "Z": None, "B": "complementary", "C": None}


def test_two_small_strata_protect_each_other(vectors: VectorDb) -> None:
    got = suppression(
        vectors,
        "('T', 30, false), ('A', 3, true), ('B', 5, true), ('C', 22, false)",
        "('g', 'T', true), ('g', 'A', false), ('g', 'B', false), ('g', 'C', false)",
    )
    assert got == {"T": None, "A": "small count", "B": "small count", "C": None}


def test_a_suppressed_total_is_protected_in_every_group_that_shares_it(vectors: VectorDb) -> None:
    # group g1 has one part, redacted, and no open part, so its total T goes; T is also the total of breakdown g2,
    # where it would then be recoverable as D + E: the next pass withholds D, g2's smallest part
    cells = "('T', 23, false), ('A', 5, true), ('D', 10, false), ('E', 13, false)"
    members = "('g1', 'T', true), ('g1', 'A', false), ('g2', 'T', true), ('g2', 'D', false), ('g2', 'E', false)"
    assert suppression(vectors, cells, members) == {
        "T": "complementary", "A": "small count", "D": "complementary", "E": None,
    }
    # one pass is not enough: it leaves T alone in g2 (the disclosure audit catches that in a published relation)
    assert suppression(vectors, cells, members, passes=1)["D"] is None


def test_a_cell_in_two_groups_is_one_complement_for_both(vectors: VectorDb) -> None:
    # a 2 x 2 table: rows r1 = P + Q, r2 = R + S, columns c1 = P + R, c2 = Q + S; P = 4 redacted. The row r1 and the
    # column c1 each need a complement: Q (10) in r1 and R (9) in c1; then S is alone open in r2 and c2, each of which
    # now has one suppressed part, so S goes too (the classic four-cell pattern)
    cells = (
        "('P', 4, true), ('Q', 10, false), ('R', 9, false), ('S', 30, false), ('r1', 14, false), "
        "('r2', 39, false), ('c1', 13, false), ('c2', 40, false)"
    )
    members = (
        "('row1', 'r1', true), ('row1', 'P', false), ('row1', 'Q', false), "
        "('row2', 'r2', true), ('row2', 'R', false), ('row2', 'S', false), "
        "('col1', 'c1', true), ('col1', 'P', false), ('col1', 'R', false), "
        "('col2', 'c2', true), ('col2', 'Q', false), ('col2', 'S', false)"
    )
    got = suppression(vectors, cells, members)
    assert {cell for cell, reason in got.items() if reason} == {"P", "Q", "R", "S"}
    assert got["P"] == "small count" and got["S"] == "complementary"
