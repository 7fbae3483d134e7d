"""Which real codes each kind of synthetic event is recorded with, from the project's codelist seeds."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .concepts import SEED_SCHEME, CodePool, ConceptRegistry, build_pool
from .population import ETHNIC_LETTERS
from .reference import Reference

# name: (SNOMED codelist, preferred SNOMED codes with weights or None for all, legacy codelist, legacy term filter)
EVENT_CODES: dict[str, tuple[str, list[tuple[str, float]] | None, str | None, str | None]] = {
    "htn_dx": ("hyp_cod", [("38341003", 0.55), ("59621000", 0.35), ("1201005", 0.05), ("10725009", 0.05)],
               "gmsde_hypertension", r"hypertens"),
    "htn_resolved": ("hypres_cod", None, None, None),
    "htn_pca_declined": ("hyppcadec_cod", None, None, None),
    "bp_parent": ("bp_cod", [("163020007", 0.8), ("75367002", 0.2)], "gmsde_blood_pressure",
                  r"^(?!.*(systolic|diastolic)).*(bp|blood pressure)"),
    "bp_sys": ("sbp_qof", [("72313002", 0.6), ("163030003", 0.3), ("271649006", 0.1)],
               "gmsde_systolic_blood_pressure", r"systolic"),
    "bp_dia": ("dbp_qof", [("1091811000000102", 0.6), ("163031004", 0.3), ("271650006", 0.1)],
               "gmsde_diastolic_blood_pressure", r"diastolic"),
    "dm_t2_dx": ("dm_cod", [("44054006", 0.7), ("313436004", 0.2), ("190388001", 0.1)],
                 "gmsde_diabetes_type_ii", r"type (2|ii)"),
    "dm_t1_dx": ("dm_cod", [("46635009", 0.8), ("313435000", 0.2)], "gmsde_diabetes_type_i", r"type (1|i)\b"),
    "hba1c_ifcc": ("ifcchbam_cod", [("999791000000106", 0.6), ("1049321000000109", 0.4)], "gmsde_hba1c",
                   r"international|ifcc"),
    "hba1c_dcct": ("hba1c_tests", [("313835008", 0.5), ("1003671000000109", 0.5)], "gmsde_hba1c", r"dcct"),
    "frail_moderate": ("modfrail_cod", None, None, None),
    "frail_severe": ("sevfrail_cod", None, None, None),
    "smear": ("smear_cod", None, "gmsde_cervical_smear", r"smear.*(taken|test|done)|cervical cytology"),
    "cs_decline": ("csdec_cod", None, None, None),
    "cs_no_response": ("cspcainvite_cod", None, None, None),
    "hysterectomy": ("nocx_cod", None, "gmsde_hysterectomy", r"hysterectomy"),
    "smoking": ("gmsde_smoking_status", None, "gmsde_smoking_status", None),
    "bmi": ("gmsde_bmi", None, "gmsde_bmi", r"body mass index|bmi"),
}
SMEAR_PRIMARY = re.compile(r"cervical (smear|cytology) test|screening for malignant neoplasm of cervix", re.I)
DRUG_CLASSES = {
    # class: (codelist ids tried in order, BNF section)
    "ace_inhibitor": (("ace_cod",), "020505"),
    "arb": (("aii_cod",), "020505"),
    "beta_blocker": (("lbb_cod",), "020400"),
    "ccb": (("dmd_ccb",), "020602"),
    "thiazide": (("dmd_thiazide",), "020201"),
    "metformin": (("dmd_metformin",), "060102"),
    "sulfonylurea": (("dmd_sulfonylurea",), "060102"),
    "insulin": (("dmd_insulin",), "060101"),
}
IMMUNISATION_GROUPS = {
    # our dose name: NEL NHSE&I codeset codelists (seeds/codelists, one per antigen and dose)
    "dtap_1": ("nel_childhood_imms_dtap_ipv_hib_1", "nel_childhood_imms_6in1_1"),
    "dtap_2": ("nel_childhood_imms_dtap_ipv_hib_2", "nel_childhood_imms_6in1_2"),
    "dtap_3": ("nel_childhood_imms_dtap_ipv_hib_3", "nel_childhood_imms_6in1_3"),
    "dtap_booster": ("nel_childhood_imms_dtap_ipv_booster",),
    "mmr_1": ("nel_childhood_imms_mmr_1",),
    "mmr_2": ("nel_childhood_imms_mmr_2",),
    "hib_menc": ("nel_childhood_imms_hib_menc",),
    "pcv_booster": ("nel_childhood_imms_pcv_3",),
}


@dataclass
class Codes:
    registry: ConceptRegistry
    pools: dict[str, CodePool]
    ethnicity: list[CodePool]  # by index into ETHNIC_LETTERS
    immunisation: dict[str, CodePool]
    drugs: dict[str, tuple[CodePool, str]]

    def enum(self, im1: str) -> int:
        return self.registry.enum(im1)


def _legacy(ref: Reference, codelist_id: str | None, pattern: str | None) -> dict[str, list[tuple[str, str]]]:
    if codelist_id is None:
        return {}
    out: dict[str, list[tuple[str, str]]] = {}
    for seed_scheme in ("readv2", "ctv3", "emis_local"):
        rows = ref.codelist(codelist_id, seed_scheme)
        if pattern:
            rows = [r for r in rows if re.search(pattern, r[1], re.I)]
        out[SEED_SCHEME[seed_scheme]] = [(c, t) for c, t, _ in rows]
    return out


def build_codes(ref: Reference) -> Codes:
    registry = ConceptRegistry()
    pools = {}
    for name, (snomed_list, preferred, legacy_list, pattern) in EVENT_CODES.items():
        available = {c: t for c, t, _ in ref.codelist(snomed_list, "snomed")}
        if not available:
            raise ValueError(f"codelist {snomed_list} has no SNOMED codes in the seeds")
        if preferred is not None:
            chosen = [(c, w) for c, w in preferred if c in available] or [(next(iter(available)), 1.0)]
        elif name == "smear":
            chosen = [(c, 1.0) for c, t in available.items() if SMEAR_PRIMARY.search(t)][:4]
            chosen = chosen or [(next(iter(available)), 1.0)]
        else:
            chosen = [(c, 1.0) for c in list(available)[:6]]
        pools[name] = build_pool(
            registry, name, [(c, available[c]) for c, _ in chosen], [w for _, w in chosen],
            _legacy(ref, legacy_list, pattern),
        )
    return Codes(registry, pools, _ethnicity_pools(ref, registry), _immunisation_pools(ref, registry),
                 _drug_pools(ref, registry))


def _ethnicity_pools(ref: Reference, registry: ConceptRegistry) -> list[CodePool]:
    snomed = ref.ethnicity_snomed
    legacy = ref.ethnicity_legacy
    s_letter = np.array(snomed.column("nhs16_code").to_pylist(), dtype=object)
    s_code = snomed.column("snomed_code").to_pylist()
    s_term = snomed.column("term").to_pylist()
    l_letter = np.array(legacy.column("nhs16_code").to_pylist(), dtype=object)
    l_system = legacy.column("source_system").to_pylist()
    l_code = legacy.column("code").to_pylist()
    l_term = legacy.column("term").to_pylist()
    pools = []
    for letter in ETHNIC_LETTERS:
        codes = [(s_code[i], s_term[i]) for i in np.flatnonzero(s_letter == letter)][:5]
        if not codes:
            raise ValueError(f"no SNOMED ethnicity code for NHS category {letter}")
        legacy_rows = {
            "READ2": [(l_code[i], l_term[i]) for i in np.flatnonzero(l_letter == letter) if l_system[i] == "emis"][:5],
            "CTV3": [(l_code[i], l_term[i]) for i in np.flatnonzero(l_letter == letter) if l_system[i] == "tpp"][:5],
        }
        pools.append(build_pool(registry, f"ethnicity_{letter}", codes, None, legacy_rows))
    return pools


def _immunisation_pools(ref: Reference, registry: ConceptRegistry) -> dict[str, CodePool]:
    """Immunisations are recorded with the NEL NHSE&I codeset's Read2/CTV3/local codes; with no SNOMED list in
    the seeds, each dose maps to one Discovery-scheme core concept (synthetic, documented)."""
    pools = {}
    for dose, codelists in IMMUNISATION_GROUPS.items():
        # '%' marks a wildcard in the source spreadsheet, not a recordable code
        rows = [r for c in codelists for r in ref.codes_by_category(c) if "%" not in r[0]]
        if not rows:
            raise ValueError(f"no immunisation codes for {dose}")
        antigen = dose.rsplit("_", 1)[0] if dose[-1].isdigit() or dose.endswith("booster") else dose
        core = registry.code("CM_DiscoveryCode", f"IMM_{antigen.upper()}", f"Immunisation: {antigen}")
        pairs = {}
        for seed_scheme, scheme in (("readv2", "READ2"), ("ctv3", "CTV3"), ("emis_local", "EMIS_LOCAL")):
            codes = [(c, t) for c, t, s, _ in rows if s == seed_scheme]
            ids = [registry.code(scheme, c, t) for c, t in codes]
            # a code shared by two antigens' lists keeps its first map; the dose comes from the sequence
            pairs[scheme] = np.asarray([(registry.map(i, core), i) for i in ids], np.int64).reshape(-1, 2)
        native = pairs["READ2"] if len(pairs["READ2"]) else pairs["CTV3"]
        pools[dose] = CodePool(dose, native, np.full(len(native), 1 / len(native)), pairs["READ2"],
                               pairs["CTV3"], pairs["EMIS_LOCAL"])
    return pools


def _drug_pools(ref: Reference, registry: ConceptRegistry) -> dict[str, tuple[CodePool, str]]:
    drugs = {}
    for name, (lists, bnf) in DRUG_CLASSES.items():
        for codelist_id in lists:
            rows = ref.codelist(codelist_id, "dmd")[:12]
            if rows:
                ids = [registry.code("DM+D", c, t) for c, t, _ in rows]
                pairs = np.asarray([(i, i) for i in ids], np.int64)
                empty = np.empty((0, 2), np.int64)
                drugs[name] = (CodePool(name, pairs, np.full(len(ids), 1 / len(ids)), empty, empty, empty), bnf)
                break
    return drugs
