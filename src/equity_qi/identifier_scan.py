"""Scan every relation of a DuckDB warehouse for direct identifiers, by column name and by value.

A relation of any kind (the raw views over the extract files, staging, quarantine, intermediate, marts, published)
must hold no name, NHS number, address line, postcode or full date of birth. The scan does not trust the models
that are meant to drop them: it looks at every column of every table and view, and reports
- a column named like a direct identifier (IDENTIFIER_COLUMN);
- a text value shaped like a UK postcode;
- a value of 10 digits that is a valid NHS number (modulus 11 check digit), in text or integer columns;
- a text value equal to one of `known_values` (the names, NHS numbers, postcodes and address lines of the
  extract, read from its files by the caller).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import duckdb

IDENTIFIER_COLUMN = re.compile(
    r"(^|_)(nhs_?number|first_names?|forenames?|given_name|last_name|surname|family_name|patient_name|person_name"
    r"|date_of_birth|dob|birth_date|postcode|post_code|address_line(_\d)?|street|city)($|_)"
)
# A UK postcode, with or without the space, in the letters the Royal Mail allows at each position (upper case, as
# GP systems export them): clinical codes of the same shape (CTV3 'X76LJ', Read 'C10yy') do not match.
POSTCODE = (
    r"([A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2}"
)
TEXT_TYPES = ("VARCHAR",)
INTEGER_TYPES = ("BIGINT", "INTEGER", "HUGEINT", "UBIGINT", "DECIMAL(10,0)", "DECIMAL(18,0)")


def is_valid_nhs_number(value: str) -> bool:
    """A 10-digit string whose tenth digit is the modulus 11 check digit of the first nine (NHS Digital's rule)."""
    if len(value) != 10 or not value.isdigit():
        return False
    check = 11 - sum(int(digit) * weight for digit, weight in zip(value[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(value[9])


def _verhoeff_d(i: int, j: int) -> int:
    """The dihedral group D5's multiplication, as the Verhoeff check uses it."""
    if i < 5 and j < 5:
        return (i + j) % 5
    if i < 5:
        return 5 + (i + j) % 5
    if j < 5:
        return 5 + (i - j) % 5
    return (i - j) % 5


_VERHOEFF_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]
for _ in range(7):
    _VERHOEFF_P.append([[1, 5, 7, 6, 2, 8, 3, 0, 9, 4][d] for d in _VERHOEFF_P[-1]])


def is_snomed_concept_id(value: str) -> bool:
    """A SNOMED CT concept identifier: a Verhoeff check digit and a concept partition ('00' core, '10' extension)
    before it. A 10-digit clinical code that also passes the NHS number check is a code, not a person."""
    if not value.isdigit() or not 6 <= len(value) <= 18 or value[-3:-1] not in ("00", "10"):
        return False
    check = 0
    for position, digit in enumerate(reversed(value)):
        check = _verhoeff_d(check, _VERHOEFF_P[position % 8][int(digit)])
    return check == 0


def relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str]]:
    """(schema, relation, column, type) of every column of every table and view outside the catalogs."""
    return con.execute("""
        select table_schema, table_name, column_name, data_type
        from information_schema.columns
        where table_schema not in ('information_schema', 'pg_catalog')
        order by table_schema, table_name, ordinal_position
    """).fetchall()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def scan(con: duckdb.DuckDBPyConnection, known_values: Iterable[str] = ()) -> list[str]:
    """Every finding as 'schema.relation.column: what', empty when the warehouse holds no direct identifier."""
    findings = []
    con.execute("set enable_progress_bar = false")
    con.execute("create or replace temp table identifier_scan_known (value varchar)")
    known = sorted({value.strip() for value in known_values if value and value.strip()})
    if known:
        con.executemany("insert into identifier_scan_known values (?)", [(value,) for value in known])
    for schema, relation, column, data_type in relations(con):
        name = f"{schema}.{relation}.{column}"
        if schema == "temp" or relation == "identifier_scan_known":
            continue
        if data_type != "BOOLEAN" and IDENTIFIER_COLUMN.search(column.lower()):
            findings.append(f"{name}: column named like a direct identifier")
        source = f"from {_quote(schema)}.{_quote(relation)}"
        value = _quote(column)
        if data_type in TEXT_TYPES:
            postcodes = con.execute(
                f"select count(*) {source} where regexp_full_match(trim({value}), '{POSTCODE}')"
            ).fetchone()[0]
            if postcodes:
                findings.append(f"{name}: {postcodes} values shaped like a postcode")
            if known:
                matches = con.execute(
                    f"select count(*) {source} where trim({value}) in (select value from identifier_scan_known)"
                ).fetchone()[0]
                if matches:
                    findings.append(f"{name}: {matches} values equal to a name, NHS number, postcode or address")
        if data_type in TEXT_TYPES or data_type in INTEGER_TYPES:
            candidates = con.execute(
                f"select distinct trim(cast({value} as varchar)) {source}"
                f" where regexp_full_match(trim(cast({value} as varchar)), '[0-9]{{10}}')"
            ).fetchall()
            valid = [c for (c,) in candidates if is_valid_nhs_number(c) and not is_snomed_concept_id(c)]
            if valid:
                findings.append(f"{name}: {len(valid)} distinct values are valid NHS numbers")
    return findings
