"""The value checks of the identifier scan (equity_qi.identifier_scan): NHS numbers by their modulus 11 check digit,
SNOMED CT concept ids by their Verhoeff check digit and partition (a code that happens to pass the NHS number
check is not a person), and UK postcodes by the letters the Royal Mail allows (CTV3 and Read codes of the same
shape are not postcodes)."""

from __future__ import annotations

import re

import pytest

from equity_qi.identifier_scan import POSTCODE, is_snomed_concept_id, is_valid_nhs_number


def test_nhs_number_check_digit() -> None:
    # NHS Digital's worked example: 943 476 5919 is valid; changing the check digit breaks it
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918") and not is_valid_nhs_number("9434765910")
    # a remainder giving check digit 10 makes the number invalid whatever its last digit
    assert not any(is_valid_nhs_number(f"123456789{d}") for d in range(10))
    assert not is_valid_nhs_number("943476591") and not is_valid_nhs_number("94347659a9")


@pytest.mark.parametrize(("code", "is_concept"), [
    ("22298006", True),  # myocardial infarction
    ("38341003", True),  # hypertensive disorder
    ("1196923000", True),  # a 10-digit concept that also passes the NHS number check
    ("22298007", False),  # check digit off by one
    ("22298016", False),  # partition 01: a description id, not a concept
    ("9434765919", False),  # an NHS number
])
def test_snomed_concept_ids(code: str, is_concept: bool) -> None:
    assert is_snomed_concept_id(code) is is_concept


@pytest.mark.parametrize(("value", "is_postcode"), [
    ("E1 6AN", True), ("E16AN", True), ("IG11 8PH", True), ("SW1A 1AA", True), ("RM10 7BS", True),
    ("X76LJ", False),  # CTV3: no postcode area begins with X
    ("C10yy", False),  # Read v2: lower case
    ("XaJ4Z", False), ("E1 6CN", False),  # C is not an inward-code letter
])
def test_postcode_shape(value: str, is_postcode: bool) -> None:
    assert bool(re.fullmatch(POSTCODE, value)) is is_postcode
