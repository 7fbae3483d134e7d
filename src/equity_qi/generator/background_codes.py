"""Background codes: the many observations a real GP record holds that no indicator reads (`--background-codes K`).

Real records carry far more codes than any indicator looks at: weights, pulse, consultations, reviews, letters.
With K > 0 each chunk gets K extra observation rows per clinical observation row, each a real SNOMED CT concept
outside every codelist of seeds/codelists, recorded on the day of one of the same patient's own clean observations
(as further codes of the same consultation, so registration, birth and death rules are respected and no planted
dirt is added). The rows come from their own random stream and are appended after the chunk's dirt, so K = 0 writes
exactly the extract it always did and K > 0 changes nothing else in it. A build must filter codelists early for
these rows to cost little: the benchmark compares K = 4 with K = 0.
"""

from __future__ import annotations

import numpy as np

from .concepts import SCHEMES, ConceptRegistry
from .frames import Coded, Frame, frame_len

# Common primary-care concepts that no codelist of the project uses (checked by tests/generator/test_background.py).
BACKGROUND_CONCEPTS: tuple[tuple[str, str], ...] = (
    ("27113001", "Body weight"),
    ("50373000", "Body height"),
    ("78564009", "Pulse rate"),
    ("86290005", "Respiratory rate"),
    ("182836005", "Review of medication"),
    ("390872009", "Asthma annual review"),
    ("185317003", "Telephone encounter"),
    ("185316007", "Indirect encounter"),
    ("308335008", "Patient encounter procedure"),
    ("170258001", "Seen by general practitioner"),
    ("410429000", "Cardiac arrest"),
    ("401191002", "Ex-heavy smoker"),
    ("228273003", "Finding relating to alcohol drinking behaviour"),
    ("160573003", "Alcohol intake"),
    ("271442007", "Fetal anatomy study"),
    ("162673000", "General symptom"),
    ("225358003", "Wound care"),
    ("308273005", "Follow-up status"),
    ("394701000", "Asthma follow-up"),
    ("170631002", "Depression annual review"),
    ("183519002", "Referral to cardiology service"),
    ("444783004", "Screening for colon cancer"),
    ("275526006", "Health education - exercise"),
    ("184104002", "Patient telephone number"),
)


FIRST_DBID = 9_000_001  # a range of their own: the other concepts keep the dbids they always had


def register(registry: ConceptRegistry) -> np.ndarray:
    """Add the background concepts to the extract's concept table; their dbids."""
    dbids = []
    for offset, (code, term) in enumerate(BACKGROUND_CONCEPTS):
        prefix, scheme_dbid = SCHEMES["SNOMED"]
        dbid = FIRST_DBID + offset
        registry._add_row(dbid, f"{prefix}{code}", term, scheme_dbid, code)
        registry._by_key[("SNOMED", code)] = dbid
        dbids.append(dbid)
    return np.array(dbids, np.int64)


def rows(template: Frame, clean: Frame, k: int, concept_ids: np.ndarray, n_real_persons: int, day_precision: int,
         rng: np.random.Generator) -> Frame:
    """K background rows per row of `clean` (the chunk's observations before dirt), anchored on random day-precision
    rows of real persons and shaped like `template` (the chunk's observations after dirt); ids unset."""
    n = frame_len(clean)
    anchors = np.flatnonzero((clean["person_id"] < n_real_persons)
                             & (clean["date_precision_concept_id"] == day_precision))
    if k <= 0 or n == 0 or not len(anchors):
        return {}
    pick = anchors[rng.integers(0, len(anchors), k * n)]
    m = len(pick)
    copied = ("organization_id", "patient_id", "person_id", "clinical_effective_date", "age_at_event",
              "date_precision_concept_id", "date_recorded")
    concepts = concept_ids[rng.integers(0, len(concept_ids), m)]
    frame: Frame = {}
    for column, values in template.items():
        if column in copied:
            frame[column] = clean[column][pick]
        elif column in ("core_concept_id", "non_core_concept_id"):
            frame[column] = concepts  # recorded in SNOMED: the recorded code is the core one
        elif isinstance(values, Coded):
            frame[column] = Coded(np.full(m, -1), values.categories)
        elif values.dtype == bool:
            frame[column] = np.zeros(m, bool)
        elif values.dtype.kind == "f":
            frame[column] = np.full(m, np.nan)
        elif values.dtype.kind in "iu":
            frame[column] = np.full(m, -1, values.dtype)
        else:
            frame[column] = np.full(m, None, object)
    return frame
