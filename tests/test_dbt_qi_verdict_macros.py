"""The QI verdict's macros (macros/qi) on worked examples: how one effect reads (qi_judgement), the verdict's 15
strings and their precedence (qi_verdict), the minimum detectable effect (minimum_detectable_effect), and when
the second design bears out the first (qi_design_agreement).

Each example is evaluated by the macros with `dbt show --inline` on the scratch DuckDB file of the stats tests and
compared with the value worked out by hand here (z = 1.959963984540054 at 95%, qnorm(0.8) = 0.8416212335729143).
"""

from __future__ import annotations

import math

import pytest

from phe_vectors import StatsDb

Z95 = 1.959963984540054
Z_POWER_80 = 0.8416212335729143

# (effect, se, sign, margin, expected): interval = effect +/- 1.96 se
JUDGEMENTS = [
    (0.10, 0.02, 1, 0.02, "up"),  # [0.061, 0.139] excludes 0, above
    (0.10, 0.02, -1, 0.02, "down"),  # the same effect, lower is better
    (-0.10, 0.02, 1, 0.02, "down"),
    (-0.10, 0.02, -1, 0.02, "up"),
    (0.039, 0.02, 1, 0.02, "not clear"),  # [-0.0002, 0.078]: touches 0, wider than the margin
    (0.040, 0.02, 1, 0.02, "up"),  # [0.0008, 0.079]: just clear
    (0.005, 0.005, 1, 0.02, "unchanged"),  # [-0.0048, 0.0148]: inside +/- 0.02
    (0.009, 0.0055, 1, 0.02, "unchanged"),  # [-0.0018, 0.0198]: inside, just
    (0.010, 0.0055, 1, 0.02, "not clear"),  # [-0.0008, 0.0208]: past the margin, touches 0
    (0.010, 0.004, 1, 0.02, "up"),  # [0.0022, 0.0178]: clear, though inside the margin (clear comes first)
    (0.010, 0.10, 1, 0.02, "not clear"),  # QI-BP-01 on the demo: a wide interval is never unchanged
    (0.0, 0.001, 1, None, "not clear"),  # no margin: nothing reads unchanged
    (None, 0.01, 1, 0.02, None),
    (0.01, None, 1, 0.02, None),
    (1.5, 0.5, -1, 1.0, "down"),  # HbA1c up 1.5 mmol/mol [0.52, 2.48], lower is better
    (-0.3, 0.4, -1, 1.0, "not clear"),  # [-1.08, 0.48] is not inside +/- 1.0
    (-0.3, 0.3, -1, 1.0, "unchanged"),  # [-0.89, 0.29] is
]


def _literal(value: float | None) -> str:
    return "cast(null as double)" if value is None else f"cast({value!r} as double)"


def test_qi_judgement_on_worked_examples(stats_db: StatsDb) -> None:
    selects = " union all ".join(
        f"select {i} as example, {{{{ qi_judgement('{_literal(e)}', '{_literal(s)}', '{sign}', '{_literal(m)}',"
        f" 'up', 'down') }}}} as judgement"
        for i, (e, s, sign, m, _) in enumerate(JUDGEMENTS)
    )
    rows = {int(r["example"]): r["judgement"] for r in stats_db.show(selects)}
    assert rows == {i: word for i, (*_, word) in enumerate(JUDGEMENTS)}
    # the labels agree with the interval's ends worked out here
    for effect, se, _, margin, word in JUDGEMENTS:
        if word == "unchanged":
            assert -margin <= effect - Z95 * se <= 0 <= effect + Z95 * se <= margin
        if word == "not clear":
            assert effect - Z95 * se <= 0 <= effect + Z95 * se


# (level, gap, least deprived, verdict)
VERDICTS = [
    ("improved", "narrowed", "better", "improved and narrowed"),
    ("improved", "widened", "worse", "improved but widened"),
    ("improved", "unchanged", "not clear", "improved, gap unchanged"),
    ("improved", "not clear", "better", "improved, gap not clear"),
    ("worsened", "narrowed", "worse", "worsened"),
    ("worsened", "not clear", "not clear", "worsened"),
    ("unchanged", "narrowed", "worse", "levelled down"),
    ("not clear", "narrowed", "worse", "levelled down"),
    ("not clear", "not clear", "worse", "not clear"),
    ("unchanged", "narrowed", "not clear", "level unchanged, gap narrowed"),
    ("unchanged", "widened", "better", "level unchanged, gap widened"),
    ("unchanged", "unchanged", "unchanged", "level unchanged, gap unchanged"),
    ("unchanged", "not clear", "not clear", "level unchanged, gap not clear"),
    ("not clear", "narrowed", "better", "level not clear, gap narrowed"),
    ("not clear", "widened", "not clear", "level not clear, gap widened"),
    ("not clear", "unchanged", "not clear", "level not clear, gap unchanged"),
    (None, "narrowed", "better", "not estimable"),
    ("improved", None, "better", "not estimable"),
]


def test_qi_verdict_strings_and_precedence(stats_db: StatsDb) -> None:
    def text(value: str | None) -> str:
        return "cast(null as varchar)" if value is None else f"'{value}'"

    selects = " union all ".join(
        f'select {i} as example, {{{{ qi_verdict("{text(lv)}", "{text(gp)}", "{text(ld)}") }}}} as verdict'
        for i, (lv, gp, ld, _) in enumerate(VERDICTS)
    )
    rows = {int(r["example"]): r["verdict"] for r in stats_db.show(selects)}
    assert rows == {i: v for i, (*_, v) in enumerate(VERDICTS)}
    # every one of the 15 strings the mart's accepted_values test lists is reachable
    assert len({v for *_, v in VERDICTS}) == 15


@pytest.mark.parametrize(("se", "power", "expected"), [
    (0.01, 0.8, (Z95 + Z_POWER_80) * 0.01),
    (2.0, 0.8, (Z95 + Z_POWER_80) * 2.0),
    (0.01, 0.9, (Z95 + 1.2815515655446004) * 0.01),
])  # fmt: skip
def test_minimum_detectable_effect(stats_db: StatsDb, se: float, power: float, expected: float) -> None:
    (row,) = stats_db.show(f"select {{{{ minimum_detectable_effect('{se!r}', 0.95, {power}) }}}} as mde")
    assert float(row["mde"]) == pytest.approx(expected, rel=1e-12)
    assert float(row["mde"]) == pytest.approx(2.8015852181 * se if power == 0.8 else 3.2415155500 * se, rel=1e-9)


def test_minimum_detectable_effect_rejects_an_untabulated_power(stats_db: StatsDb) -> None:
    run = stats_db.run_show("select {{ minimum_detectable_effect('0.1', 0.95, 0.85) }} as mde")
    assert not run.success


# (primary judgement, second judgement, primary effect, second effect, expected)
AGREEMENTS = [
    ("improved", "improved", 0.10, 0.11, "agree"),
    ("improved", "not clear", 0.10, 0.02, "agree"),  # a wide second interval pointing the same way bears it out
    ("improved", "not clear", 0.10, -0.02, "disagree"),  # pointing the other way withdraws it
    ("improved", "worsened", 0.10, -0.20, "disagree"),
    ("improved", "unchanged", 0.10, 0.001, "disagree"),  # the second design rules out an effect of this size
    ("widened", "not clear", -4.4, -10.4, "agree"),  # QI-DM-01 on the demo: SII effects of the same sign
    ("narrowed", "widened", 0.2, -0.1, "disagree"),
    ("unchanged", "not clear", 0.001, 0.05, "agree"),
    ("unchanged", "unchanged", 0.001, -0.002, "agree"),
    ("unchanged", "improved", 0.001, 0.05, "disagree"),
    ("not clear", "improved", 0.03, 0.05, "agree"),  # the second design never makes a clear reading
    ("not clear", "worsened", 0.03, -0.05, "agree"),
    (None, "improved", None, 0.05, None),
    ("improved", None, 0.10, None, None),  # no second design: the primary decides alone
]


def test_qi_design_agreement_on_worked_examples(stats_db: StatsDb) -> None:
    def text(value: str | None) -> str:
        return "cast(null as varchar)" if value is None else f"'{value}'"

    def words(*judgements: str | None) -> list[str]:
        return ["widened", "narrowed"] if {"widened", "narrowed"} & set(judgements) else ["improved", "worsened"]

    selects = " union all ".join(
        f"select {i} as example, {{{{ qi_design_agreement(\"{text(p)}\", \"{text(s)}\", '{_literal(pe)}',"
        f" '{_literal(se)}', {words(p, s)}) }}}} as agreement"
        for i, (p, s, pe, se, _) in enumerate(AGREEMENTS)
    )
    rows = {int(r["example"]): r["agreement"] for r in stats_db.show(selects)}
    assert rows == {i: expected for i, (*_, expected) in enumerate(AGREEMENTS)}


def test_qi_not_clear_note_on_worked_examples(stats_db: StatsDb) -> None:
    """effect 0.03, SE 0.02: interval [-0.0092, 0.0692], MDE 2.8016 x 0.02 = 0.056; 4 practices per role would
    need 4 (0.056 / 0.03)^2 = 13.96, so 14, to detect an effect of this size. An effect of 0.0 inside the margin
    0.02: the interval +/- 1.96 x 0.02 fits inside +/- 0.02 with 4 (1.96 x 0.02 / 0.02)^2 = 15.4, so 16, practices."""
    rows = stats_db.show("""
        select 1 as example, {{ qi_not_clear_note('level', "'not clear'", '0.03', '0.02', '0.02', '4') }} as note
        union all
        select 2, {{ qi_not_clear_note('gap', "'not clear'", '-0.03', '0.02', '0.02') }}
        union all
        select 3, {{ qi_not_clear_note('gap', "'improved'", '0.1', '0.02', '0.02', '4') }}
        union all
        select 4, {{ qi_not_clear_note('level', "'not clear'", '0.0', '0.02', '0.02', '4') }}
    """)
    notes = {int(r["example"]): r["note"] for r in rows}
    head = "includes 0 and reaches beyond the equivalence margin +/-0.02; the smallest effect these practices detect"
    assert notes == {
        1: f"level not clear: effect 0.03 [-0.009, 0.069] {head} with 80% power is +/-0.056; an effect of this size"
        " would need about 14 practices per role. ",
        2: f"gap not clear: effect -0.03 [-0.069, 0.009] {head} with 80% power is +/-0.056. ",
        3: "",
        4: f"level not clear: effect 0.0 [-0.039, 0.039] {head} with 80% power is +/-0.056; to show it unchanged,"
        " inside the margin, would need about 16 practices per role. ",
    }
    assert math.ceil(4 * ((Z95 + Z_POWER_80) * 0.02 / 0.03) ** 2) == 14
    assert math.ceil(4 * (Z95 * 0.02 / 0.02) ** 2) == 16
