"""The Information Model side of the extract: `concept` and `concept_map`, and pools of codes to record.

Discovery stores every coded value as an IM concept id (`concept.dbid`). A clinical event carries the code as
recorded (`non_core_concept_id`: Read2 / CTV3 / EMIS or TPP local before the April 2018 switch to SNOMED, SNOMED
after) and the mapped core concept (`core_concept_id`: SNOMED, dm+d for drugs). Enumerations (registration type,
gender, date precision...) are IM concepts too, with IM1 ids such as `FHIR_RT_R`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

# The two dbids that Compass v2's own SQL hard-codes; every other dbid here is synthetic.
GMS_REGISTRATION_DBID = 1335267
PRE_REGISTRATION_DBIDS = (1335283, 1335284, 1335285)

SCHEMES = {
    # scheme name: (IM1 id prefix for its concepts, scheme concept dbid)
    "SNOMED": ("SN_", 71),
    "DM+D": ("DMD_", 72),
    "READ2": ("R2_", 73),
    "CTV3": ("CTV3_", 74),
    "EMIS_LOCAL": ("EMLOC_", 75),
    "TPP_LOCAL": ("TPPLOC_", 76),
    "CM_DiscoveryCode": ("CM_", 77),
    "FHIR": ("", 78),
}
SEED_SCHEME = {
    "snomed": "SNOMED",
    "dmd": "DM+D",
    "readv2": "READ2",
    "ctv3": "CTV3",
    "emis_local": "EMIS_LOCAL",
    "tpp_local": "TPP_LOCAL",
}

ENUMERATIONS = [
    # (IM1 id, name, fixed dbid or None)
    ("FHIR_RT_R", "Regular/GMS registration", GMS_REGISTRATION_DBID),
    ("FHIR_RT_T", "Temporary registration", None),
    ("FHIR_RT_E", "Emergency registration", None),
    ("FHIR_RT_IN", "Immediately necessary registration", None),
    ("FHIR_RT_D", "Dummy/synthetic registration", None),
    ("FHIR_RT_PR", "Pre-registration", None),
    ("FHIR_RS_PR1", "Pre-registration: registration requested", PRE_REGISTRATION_DBIDS[0]),
    ("FHIR_RS_PR2", "Pre-registration: medical card received", PRE_REGISTRATION_DBIDS[1]),
    ("FHIR_RS_PR3", "Pre-registration: awaiting acceptance", PRE_REGISTRATION_DBIDS[2]),
    ("FHIR_RS_R1", "Registered: currently registered", None),
    ("FHIR_RS_R3", "Registered: transferred in", None),
    ("FHIR_RS_D1", "Deducted: death", None),
    ("FHIR_RS_D4", "Deducted: removal to new health authority", None),
    ("FHIR_RS_D11", "Deducted: registration cancelled (transferred to another practice)", None),
    ("FHIR_AG_male", "Male", None),
    ("FHIR_AG_female", "Female", None),
    ("FHIR_AG_other", "Other", None),
    ("FHIR_AG_unknown", "Unknown", None),
    ("DS_DATE_PREC_year", "Date precise to the year", None),
    ("DS_DATE_PREC_month", "Date precise to the month", None),
    ("DS_DATE_PREC_day", "Date precise to the day", None),
    ("FHIR_AU_home", "Home address", None),
    ("FHIR_AU_temp", "Temporary address", None),
    ("FHIR_MSAT_acute", "Acute prescription", None),
    ("FHIR_MSAT_repeat", "Repeat prescription", None),
]
NHS16_LETTERS = "ABCDEFGHJKLMNPRSZ"


def _norm(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", term.lower()).strip()


@dataclass
class ConceptRegistry:
    """Assigns dbids in a fixed order so the same inputs give the same concept table."""

    rows: list[tuple[int, str, str, int, str]] = field(default_factory=list)  # dbid, im1 id, name, scheme, code
    maps: list[tuple[int, int, bool]] = field(default_factory=list)  # legacy, core, deleted
    _by_key: dict[tuple[str, str], int] = field(default_factory=dict)
    _mapped: dict[int, int] = field(default_factory=dict)
    _next: int = 1_000_000

    def __post_init__(self) -> None:
        for scheme, (_, dbid) in SCHEMES.items():
            self._add_row(dbid, f"CM_Scheme_{scheme}", f"{scheme} scheme", SCHEMES["CM_DiscoveryCode"][1], scheme)
        self._by_key.update({("SCHEME", s): d for s, (_, d) in SCHEMES.items()})
        for im1, name, fixed in ENUMERATIONS:
            dbid = fixed if fixed is not None else self._take()
            self._add_row(dbid, im1, name, SCHEMES["FHIR"][1], im1.rsplit("_", 1)[-1])
            self._by_key[("FHIR", im1)] = dbid
        for letter in NHS16_LETTERS:
            self.enum(f"FHIR_EC_{letter}", f"NHS ethnic category {letter}")

    def _take(self) -> int:
        self._next += 1
        return self._next

    def _add_row(self, dbid: int, im1: str, name: str, scheme: int, code: str) -> None:
        self.rows.append((dbid, im1, name, scheme, code))

    def enum(self, im1: str, name: str | None = None) -> int:
        key = ("FHIR", im1)
        if key not in self._by_key:
            dbid = self._take()
            self._add_row(dbid, im1, name or im1, SCHEMES["FHIR"][1], im1.rsplit("_", 1)[-1])
            self._by_key[key] = dbid
        return self._by_key[key]

    def code(self, scheme: str, code: str, term: str) -> int:
        key = (scheme, code)
        if key not in self._by_key:
            prefix, scheme_dbid = SCHEMES[scheme]
            dbid = self._take()
            self._add_row(dbid, f"{prefix}{code}", term[:255], scheme_dbid, code)
            self._by_key[key] = dbid
        return self._by_key[key]

    def map(self, legacy: int, core: int) -> int:
        """Map a legacy concept to a core one; a concept keeps its first map. Returns the core in force."""
        if legacy not in self._mapped:
            self._mapped[legacy] = core
            self.maps.append((legacy, core, False))
        return self._mapped[legacy]

    def dbid(self, scheme: str, code: str) -> int:
        return self._by_key[(scheme, code)]


@dataclass(frozen=True)
class CodePool:
    """Codes for one kind of clinical event, by how it was recorded.

    Each variant is an array of (core dbid, non-core dbid) pairs; `pick` chooses a variant per event from the
    practice's clinical system and the event date, then a code uniformly (SNOMED primaries by weight).
    """

    name: str
    snomed: np.ndarray  # shape (k, 2), native SNOMED (core == non-core)
    snomed_weights: np.ndarray
    read2: np.ndarray  # EMIS before the SNOMED switch
    ctv3: np.ndarray  # TPP before the SNOMED switch
    emis_local: np.ndarray

    def pick(
        self,
        rng: np.random.Generator,
        legacy_era: np.ndarray,
        is_tpp: np.ndarray,
        local_share: float = 0.04,
    ) -> tuple[np.ndarray, np.ndarray]:
        n = len(legacy_era)
        core = np.empty(n, np.int64)
        non_core = np.empty(n, np.int64)
        use_local = (rng.random(n) < local_share) & ~is_tpp & (len(self.emis_local) > 0)
        choice = np.where(use_local, 3, np.where(legacy_era, np.where(is_tpp, 2, 1), 0))
        variants = (self.snomed, self.read2, self.ctv3, self.emis_local)
        for v, arr in enumerate(variants):
            sel = np.flatnonzero(choice == v)
            if len(sel) == 0:
                continue
            if len(arr) == 0:  # no legacy codes known: record natively in SNOMED
                arr, weights = self.snomed, self.snomed_weights
            else:
                weights = self.snomed_weights if v == 0 else None
            idx = rng.choice(len(arr), size=len(sel), p=weights)
            core[sel] = arr[idx, 0]
            non_core[sel] = arr[idx, 1]
        return core, non_core


def build_pool(
    registry: ConceptRegistry,
    name: str,
    snomed: list[tuple[str, str]],
    weights: list[float] | None,
    legacy: dict[str, list[tuple[str, str]]],
    core_scheme: str = "SNOMED",
) -> CodePool:
    """Register codes and their maps. A legacy code maps to the SNOMED code with the same term, else to the
    first (primary) SNOMED code: a documented synthetic mapping, always into the codelist."""
    core_ids = [registry.code(core_scheme, c, t) for c, t in snomed]
    by_term = {_norm(t): d for (c, t), d in zip(snomed, core_ids)}
    w = np.asarray(weights if weights is not None else [1.0] * len(snomed), float)
    pairs: dict[str, np.ndarray] = {}
    for scheme in ("READ2", "CTV3", "EMIS_LOCAL"):
        rows = []
        for code, term in legacy.get(scheme, []):
            legacy_id = registry.code(scheme, code, term)
            core_id = registry.map(legacy_id, by_term.get(_norm(term), core_ids[0]))
            rows.append((core_id, legacy_id))
        pairs[scheme] = np.asarray(rows, np.int64).reshape(-1, 2)
    return CodePool(
        name=name,
        snomed=np.asarray([(d, d) for d in core_ids], np.int64).reshape(-1, 2),
        snomed_weights=w / w.sum(),
        read2=pairs["READ2"],
        ctv3=pairs["CTV3"],
        emis_local=pairs["EMIS_LOCAL"],
    )
