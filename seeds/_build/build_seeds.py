#!/usr/bin/env python3
"""Rebuild every reference-data seed in ``seeds/`` from the shared public data.

MAINTAINER TOOL ONLY - it is never run by ``make demo``, ``make build``, the
generator or dbt.  It is the *only* file in this repository allowed to read the
``shared/data`` folder beside the repository (the default; override with
``--shared PATH``).  The project itself only ever reads the CSVs this script
writes into ``seeds/reference/`` and ``seeds/codelists/``.

Inputs
  * ``<shared>/deprivation``, ``geography``, ``population``, ``codelists``,
    ``discovery`` - see ``<shared>/PROVENANCE.md`` and ``seeds/PROVENANCE.md``.
  * ``seeds/_build/upstream_dmd/*.csv.txt`` - verbatim copies of seven public
    OpenCodelists dm+d codelists (from OpenSAFELY study repositories) that are
    not in ``shared/``.  They are stored as ``.csv.txt`` so dbt does not load
    them as seeds.  Repository, path, commit and licence are in ``DMD_SOURCES``
    below and in ``seeds/PROVENANCE.md``.

Outputs (deterministic: sorted rows, UTF-8 without BOM, ``\\n`` line endings,
minimal CSV quoting, no index column)
  seeds/reference/ref_lsoa11_imd2019.csv
  seeds/reference/ref_nel_lsoa11.csv
  seeds/reference/ref_lsoa11_lsoa21_lookup.csv
  seeds/reference/ref_esp2013.csv
  seeds/codelists/ref_codelist_codes.csv
  seeds/codelists/ref_codelists.csv
  seeds/codelists/ref_ethnicity_codes.csv
  seeds/codelists/ref_ethnicity_legacy_codes.csv
  seeds/codelists/ref_nhs_ethnic_category.csv

Usage:  python seeds/_build/build_seeds.py [--shared /path/to/shared/data]
Standard library only (Python >= 3.9).  The script asserts its own invariants
(row counts, unique keys, ESP total) and exits non-zero if any fails.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import re
import sys
from collections import Counter
from pathlib import Path

BUILD_DIR = Path(__file__).resolve().parent
SEEDS_DIR = BUILD_DIR.parent
REPO_DIR = SEEDS_DIR.parent
DEFAULT_SHARED = REPO_DIR.parent / "shared" / "data"
UPSTREAM_DMD_DIR = BUILD_DIR / "upstream_dmd"

SCHEME_ORDER = ["readv2", "ctv3", "emis_local", "tpp_local", "snomed", "dmd"]

# --------------------------------------------------------------------------
# Licence / attribution strings
# --------------------------------------------------------------------------
LIC_OPENSAFELY = (
    "MIT (OpenSAFELY study repository); codes: SNOMED CT UK Edition "
    "(c) SNOMED International / NHS England"
)
LIC_OPENSAFELY_DMD = (
    "MIT (OpenSAFELY study repository); codes: dm+d (c) NHS Business Services "
    "Authority / NHS England, OGL v3"
)
LIC_QOF_V44 = (
    "Apache-2.0 (repository); content NHS Digital QOF v44 business rules - "
    "acknowledge the source document, NHS Digital; SNOMED CT UK Edition / dm+d"
)
LIC_GMSDE = (
    "ISC per package.json of UoM-Data-Science-Platforms/gm-sde (no LICENSE "
    "file); Read v2 / CTV3 (c) NHS England (Crown copyright); SNOMED CT UK "
    "Edition; EMIS local codes as published"
)
LIC_NEL_IMMS = (
    "Apache-2.0 (endeavourhealth-discovery/DiscoveryQueryLibrary); NHS "
    "England & Improvement childhood immunisation codeset; Read v2 / CTV3 "
    "(c) NHS England (Crown copyright)"
)

# --------------------------------------------------------------------------
# QOF clusters (SNOMED CT, dm+d for drug clusters)
# --------------------------------------------------------------------------
WINTER = ("opensafely/winter-pressures-phase-II", "4d95049d8d6058f9a79458520393edd8ebf43345")
BPSRO = ("opensafely/blood-pressure-sro", "2a58a100730ee4f2b5c51642a44bad51ba0e10ae")
HYPSRO = ("opensafely/hypertension-sro", "743c24a75546a68aceef3d6b286c2d46839d94a5")
QOFDM = ("opensafely/qof-diabetes", "c2293619c2971493b11dfdc3e47c5978ffb44b4f")
NICE001 = ("opensafely/NICE001-simulation-cohort", "b422baeefb24c2c98b12b73fa894a19220441660")
ZOSTA = ("opensafely/zostavax-dementia", "7f8e054467ee988dec714a43eb474bd323aee4ed")

# codelist_id -> (OpenCodelists version, (repo, commit)) for the PCD refset
# files in shared/data/codelists/nhsd-primary-care-domain-refsets-<id>.csv.
# Versions from shared/data/PROVENANCE.md; dmtype1/dmtype2 versions from the
# codelists/codelists.txt of the source repository at the cited commit.
PCD_OPENSAFELY = {
    "hyp_cod": ("20241205", WINTER),
    "hypres_cod": ("20250627", WINTER),
    "dm_cod": ("20250627", WINTER),
    "dmres_cod": ("20250627", WINTER),
    "bp_cod": ("20200812", BPSRO),
    "bpdec_cod": ("20200812", BPSRO),
    "ld_cod": ("20210127", BPSRO),
    "htmax_cod": ("20200812", HYPSRO),
    "hypinvite_cod": ("20200812", HYPSRO),
    "hyppcadec_cod": ("20200812", HYPSRO),
    "hyppcapu_cod": ("20200812", HYPSRO),
    "ifcchbam_cod": ("20200812", QOFDM),
    "dmmax_cod": ("20200812", QOFDM),
    "dmpcapu_cod": ("20200812", QOFDM),
    "dmpcadec_cod": ("20200812", QOFDM),
    "dminvite_cod": ("20200812", QOFDM),
    "bldtestdec_cod": ("20200812", QOFDM),
    "serfruc_cod": ("20200812", QOFDM),
    "mildfrail_cod": ("20200812", QOFDM),
    "modfrail_cod": ("20200812", QOFDM),
    "sevfrail_cod": ("20200812", QOFDM),
    "dmtype1_cod": ("20260630", NICE001),
    "dmtype2_cod": ("20260630", ZOSTA),
}
# Clusters only available in the QOF v44 expanded cluster list (older than
# every OpenCodelists version above, so used only where nothing newer exists).
QOF_V44_SNOMED = ["smear_cod", "csdec_cod", "cspu_cod", "cspcainvite_cod", "nocx_cod"]
QOF_V44_DMD = ["ace_cod", "aii_cod", "lbb_cod"]
QOF_V44_REPO = "endeavourhealth-discovery/DiscoveryQueryLibrary"
QOF_V44_PATH = "Value and Code Sets/qof-v44-expanded-cluster-list.xlsx"
QOF_V44_COMMIT = "e2cd47613ebe0ef28bb0f97a18ed96afe9a39c2c"

OTHER_OPENSAFELY = {
    # codelist_id: (shared file, version, (repo, commit))
    "sbp_qof": ("opensafely-systolic-blood-pressure-qof.csv", "659dc936", WINTER),
    "dbp_qof": ("user-milanwiedemann-diastolic-blood-pressure-qof.csv", "697e3433", HYPSRO),
    "hba1c_tests": ("opensafely-glycated-haemoglobin-hba1c-tests.csv", "2ab11f20", WINTER),
}

# --------------------------------------------------------------------------
# Greater Manchester SDE legacy / local code sets
# --------------------------------------------------------------------------
GMSDE_SETS = [
    "hypertension", "diabetes", "diabetes-type-i", "diabetes-type-ii",
    "blood-pressure", "systolic-blood-pressure", "diastolic-blood-pressure",
    "hba1c", "cervical-smear", "hysterectomy", "mmr-vaccination",
    "smoking-status", "bmi",
]
GMSDE_SCHEME = {"readv2": "readv2", "ctv3": "ctv3", "emis": "emis_local", "snomed": "snomed"}
GMSDE_REPO = "UoM-Data-Science-Platforms/gm-sde"
GMSDE_COMMIT = "6cf10afc0d745a557b2e8dd7e0b1d4b61ea40e42"

# --------------------------------------------------------------------------
# NEL NHSE&I childhood immunisation codeset
# --------------------------------------------------------------------------
NEL_IMMS_FILE = "nel_nhsei_childhood_immunisation_codeset_read_ctv3.csv"
NEL_IMMS_VERSION = "2019-08-14"
NEL_IMMS_REPO = "endeavourhealth-discovery/DiscoveryQueryLibrary"
NEL_IMMS_PATH = ("Projects/Waltham Forest Child Imms/Datasets/Updated specification "
                 "FINAL Childhood Imms Waltham Forest14Aug2019.xlsx "
                 "(sheet 'NHS E & I-Immunisation Codeset')")
NEL_IMMS_COMMIT = "69c41b0a361539a57903351e5fa51d94e2147f64"
NEL_IMMS_SCHEME = {
    "EMIS_LOCAL": "emis_local",
    "TPP_LOCAL_CTV3_Y": "tpp_local",
    "CTV3": "ctv3",
    "READ2_OR_CTV3_SHARED": "readv2",  # valid in both Read v2 and CTV3
}
_DTAP = "Diphtheria, tetanus, pertussis (whooping cough), polio and Hib (Haemophilus influenzae type b)"
_SIXIN1 = ("6in1 (Diphtheria, tetanus, pertussis (whooping cough), polio, Hib "
           "(Haemophilus influenzae type b) and Hepatitis B)")
# source group label -> (codelist_id suffix, title).  Groups not listed here
# (BCG, HPV 1-3, discontinued MenC 1-2) are deliberately dropped.
NEL_IMMS_GROUPS = {
    f"1st {_DTAP}": ("dtap_ipv_hib_1", "DTaP/IPV/Hib dose 1"),
    f"2nd {_DTAP}": ("dtap_ipv_hib_2", "DTaP/IPV/Hib dose 2"),
    f"3rd {_DTAP}": ("dtap_ipv_hib_3", "DTaP/IPV/Hib dose 3"),
    f"1st {_SIXIN1}": ("6in1_1", "6-in-1 (DTaP/IPV/Hib/HepB) dose 1"),
    f"2nd {_SIXIN1}": ("6in1_2", "6-in-1 (DTaP/IPV/Hib/HepB) dose 2"),
    f"3rd {_SIXIN1}": ("6in1_3", "6-in-1 (DTaP/IPV/Hib/HepB) dose 3"),
    "4th (booster) Diphtheria, tetanus, pertussis (whooping cough) and polio":
        ("dtap_ipv_booster", "DTaP/IPV pre-school booster (4th dose)"),
    "1st Measles, Mumps and Rubella (MMR)": ("mmr_1", "MMR dose 1"),
    "2nd Measles, Mumps and Rubella (MMR)": ("mmr_2", "MMR dose 2"),
    "Hib / MenC": ("hib_menc", "Hib/MenC (any Hib- or MenC-containing vaccination)"),
    "1st Pneumococcal (PCV)": ("pcv_1", "Pneumococcal conjugate (PCV) dose 1"),
    "2nd Pneumococcal (PCV)": ("pcv_2", "Pneumococcal conjugate (PCV) dose 2"),
    "3rd Pneumococcal (PCV)": ("pcv_3", "Pneumococcal conjugate (PCV) dose 3 / booster"),
    "1st Meningococcal B vaccine (MenB)": ("menb_1", "MenB dose 1"),
    "2nd Meningococcal B vaccine (MenB)": ("menb_2", "MenB dose 2"),
    "MenB Booster": ("menb_booster", "MenB booster"),
    "1st Rotavirus": ("rotavirus_1", "Rotavirus dose 1"),
    "2nd Rotavirus": ("rotavirus_2", "Rotavirus dose 2"),
}
NEL_IMMS_DROPPED_PREFIXES = ("BCG", "1st Human Papillomavirus", "2nd Human Papillomavirus",
                             "3rd Human Papillomavirus", "1st Meningococcal Conjugate",
                             "2nd Meningococcal Conjugate")

# --------------------------------------------------------------------------
# dm+d drug codelists not in shared/ (verbatim copies in upstream_dmd/)
# --------------------------------------------------------------------------
CDC = "opensafely/covid-diabetes-care"
PPD = "opensafely/polypharmacy-deprescribing-dementia"
DMD_SOURCES = [
    # codelist_id, upstream file, repo, path, file commit, OpenCodelists id/version, title
    ("dmd_metformin", "opensafely__covid-diabetes-care__user-alex-walker-metformin-dmd.csv.txt",
     CDC, "codelists/user-alex-walker-metformin-dmd.csv", "a68a4aed7713208d4499b24e322939e1108afbbd",
     "user/alex-walker/metformin-dmd/258f2054",
     "Metformin (incl. fixed-dose combinations) - dm+d VMP/AMP"),
    ("dmd_sulfonylurea", "opensafely__covid-diabetes-care__user-alex-walker-sulfonylureas-dmd.csv.txt",
     CDC, "codelists/user-alex-walker-sulfonylureas-dmd.csv", "a68a4aed7713208d4499b24e322939e1108afbbd",
     "user/alex-walker/sulfonylureas-dmd/6e0ab9fd",
     "Sulfonylureas (gliclazide, glimepiride, glibenclamide, glipizide, tolbutamide, ...) - dm+d"),
    ("dmd_dpp4", "opensafely__covid-diabetes-care__user-alex-walker-dpp-4-inhibitors-dmd.csv.txt",
     CDC, "codelists/user-alex-walker-dpp-4-inhibitors-dmd.csv", "c14dd573dde0db20494685ede7e49e04460fa565",
     "user/alex-walker/dpp-4-inhibitors-dmd/57ae06be",
     "DPP-4 inhibitors (gliptins, incl. combinations) - dm+d"),
    ("dmd_sglt2", "opensafely__covid-diabetes-care__user-alex-walker-sglt-2-inhibitors-dmd.csv.txt",
     CDC, "codelists/user-alex-walker-sglt-2-inhibitors-dmd.csv", "a68a4aed7713208d4499b24e322939e1108afbbd",
     "user/alex-walker/sglt-2-inhibitors-dmd/2029a068",
     "SGLT2 inhibitors (gliflozins, incl. combinations) - dm+d"),
    ("dmd_insulin", "opensafely__covid-diabetes-care__user-alex-walker-insulin-dmd.csv.txt",
     CDC, "codelists/user-alex-walker-insulin-dmd.csv", "c14dd573dde0db20494685ede7e49e04460fa565",
     "user/alex-walker/insulin-dmd/09cced29",
     "Insulins (all types, incl. insulin/GLP-1 combinations) - dm+d"),
    ("dmd_ccb", "opensafely__polypharmacy-deprescribing-dementia__opensafely-calcium-channel-blockers.csv.txt",
     PPD, "codelists/opensafely-calcium-channel-blockers.csv", "a5958411bcbdd9bf8fe6ccfb7f25a4cf6abc0497",
     "opensafely/calcium-channel-blockers/25c67f74",
     "Calcium-channel blockers (BNF 2.6.2: amlodipine, felodipine, nifedipine, diltiazem, verapamil, ...) - dm+d"),
    ("dmd_thiazide", "opensafely__polypharmacy-deprescribing-dementia__opensafely-thiazide-type-diuretic-medication.csv.txt",
     PPD, "codelists/opensafely-thiazide-type-diuretic-medication.csv", "1a24bb529f292d09d775ed0d89d87255b110b40a",
     "opensafely/thiazide-type-diuretic-medication/0cb70c3f",
     "Thiazide and thiazide-like diuretics (BNF 2.2.1: bendroflumethiazide, indapamide, chlortalidone, ...) - dm+d"),
]

# --------------------------------------------------------------------------
# Titles / clinical areas for the registry
# --------------------------------------------------------------------------
CODELIST_META = {
    "hyp_cod": ("Hypertension diagnosis codes (QOF HYP_COD)", "hypertension"),
    "hypres_cod": ("Hypertension resolved codes (QOF HYPRES_COD)", "hypertension"),
    "bp_cod": ("Blood pressure recording codes (QOF BP_COD)", "hypertension"),
    "bpdec_cod": ("Blood pressure procedure declined (QOF BPDEC_COD)", "hypertension"),
    "htmax_cod": ("Maximal blood pressure therapy (QOF HTMAX_COD)", "hypertension"),
    "hypinvite_cod": ("Invite for hypertension care review (QOF HYPINVITE_COD)", "hypertension"),
    "hyppcadec_cod": ("Hypertension quality indicator care declined (QOF HYPPCADEC_COD)", "hypertension"),
    "hyppcapu_cod": ("Hypertension quality indicator care unsuitable (QOF HYPPCAPU_COD)", "hypertension"),
    "dm_cod": ("Diabetes mellitus codes (QOF DM_COD)", "diabetes"),
    "dmtype1_cod": ("Diabetes type 1 codes (PCD DMTYPE1_COD)", "diabetes"),
    "dmtype2_cod": ("Diabetes type 2 codes (QOF DMTYPE2_COD)", "diabetes"),
    "dmres_cod": ("Diabetes resolved codes (QOF DMRES_COD)", "diabetes"),
    "ifcchbam_cod": ("IFCC HbA1c monitoring range codes (QOF IFCCHBAM_COD)", "diabetes"),
    "serfruc_cod": ("Serum fructosamine codes (QOF SERFRUC_COD)", "diabetes"),
    "dminvite_cod": ("Invite for diabetes care review (QOF DMINVITE_COD)", "diabetes"),
    "dmpcadec_cod": ("Diabetes quality indicator care declined (QOF DMPCADEC_COD)", "diabetes"),
    "dmpcapu_cod": ("Diabetes quality indicator care unsuitable (QOF DMPCAPU_COD)", "diabetes"),
    "dmmax_cod": ("Maximum tolerated diabetes treatment (QOF DMMAX_COD)", "diabetes"),
    "bldtestdec_cod": ("Blood test declined (QOF BLDTESTDEC_COD)", "diabetes"),
    "mildfrail_cod": ("Mild frailty diagnosis (QOF MILDFRAIL_COD)", "frailty"),
    "modfrail_cod": ("Moderate frailty diagnosis (QOF MODFRAIL_COD)", "frailty"),
    "sevfrail_cod": ("Severe frailty diagnosis (QOF SEVFRAIL_COD)", "frailty"),
    "smear_cod": ("Cervical screening codes (QOF SMEAR_COD)", "cervical_screening"),
    "csdec_cod": ("Cervical screening declined (QOF CSDEC_COD)", "cervical_screening"),
    "cspu_cod": ("Cervical screening care unsuitable (QOF CSPU_COD)", "cervical_screening"),
    "cspcainvite_cod": ("No response to three cervical screening invites (QOF CSPCAINVITE_COD)", "cervical_screening"),
    "nocx_cod": ("Complete removal of the cervix (QOF NOCX_COD)", "cervical_screening"),
    "ld_cod": ("Learning disability codes (QOF LD_COD)", "learning_disability"),
    "ace_cod": ("ACE inhibitor prescription codes (QOF ACE_COD)", "medication_hypertension"),
    "aii_cod": ("Angiotensin II receptor blocker prescription codes (QOF AII_COD)", "medication_hypertension"),
    "lbb_cod": ("Licensed beta-blocker prescription codes (QOF LBB_COD)", "medication_hypertension"),
    "sbp_qof": ("Systolic blood pressure (QOF-aligned)", "hypertension"),
    "dbp_qof": ("Diastolic blood pressure (QOF-aligned)", "hypertension"),
    "hba1c_tests": ("Glycated haemoglobin (HbA1c) tests", "diabetes"),
    "gmsde_hypertension": ("Hypertension (GM SDE)", "hypertension"),
    "gmsde_diabetes": ("Diabetes (GM SDE)", "diabetes"),
    "gmsde_diabetes_type_i": ("Diabetes type 1 (GM SDE)", "diabetes"),
    "gmsde_diabetes_type_ii": ("Diabetes type 2 (GM SDE)", "diabetes"),
    "gmsde_blood_pressure": ("Blood pressure (GM SDE)", "hypertension"),
    "gmsde_systolic_blood_pressure": ("Systolic blood pressure (GM SDE)", "hypertension"),
    "gmsde_diastolic_blood_pressure": ("Diastolic blood pressure (GM SDE)", "hypertension"),
    "gmsde_hba1c": ("HbA1c (GM SDE)", "diabetes"),
    "gmsde_cervical_smear": ("Cervical smear (GM SDE)", "cervical_screening"),
    "gmsde_hysterectomy": ("Hysterectomy (GM SDE)", "cervical_screening"),
    "gmsde_mmr_vaccination": ("MMR vaccination (GM SDE)", "childhood_immunisation"),
    "gmsde_smoking_status": ("Smoking status (GM SDE)", "smoking"),
    "gmsde_bmi": ("Body mass index (GM SDE)", "obesity"),
}
for _cid, *_rest, _title in DMD_SOURCES:
    CODELIST_META[_cid] = (_title, "medication_diabetes" if _cid not in ("dmd_ccb", "dmd_thiazide")
                           else "medication_hypertension")
for _suffix, _title in NEL_IMMS_GROUPS.values():
    CODELIST_META[f"nel_childhood_imms_{_suffix}"] = (
        f"NEL NHSE&I childhood immunisation codeset: {_title}", "childhood_immunisation")

# --------------------------------------------------------------------------
# NHS ethnic category (2001 Census based, NHS Data Model and Dictionary)
# --------------------------------------------------------------------------
NHS_ETHNIC_CATEGORY = [
    ("A", "White - British", "White"),
    ("B", "White - Irish", "White"),
    ("C", "White - Any other White background", "White"),
    ("D", "Mixed - White and Black Caribbean", "Mixed"),
    ("E", "Mixed - White and Black African", "Mixed"),
    ("F", "Mixed - White and Asian", "Mixed"),
    ("G", "Mixed - Any other mixed background", "Mixed"),
    ("H", "Asian or Asian British - Indian", "Asian"),
    ("J", "Asian or Asian British - Pakistani", "Asian"),
    ("K", "Asian or Asian British - Bangladeshi", "Asian"),
    ("L", "Asian or Asian British - Any other Asian background", "Asian"),
    ("M", "Black or Black British - Caribbean", "Black"),
    ("N", "Black or Black British - African", "Black"),
    ("P", "Black or Black British - Any other Black background", "Black"),
    ("R", "Other Ethnic Groups - Chinese", "Other"),
    ("S", "Other Ethnic Groups - Any other ethnic group", "Other"),
    ("Z", "Not stated", "Not stated"),
]
NHS16_CODES = [c for c, _, _ in NHS_ETHNIC_CATEGORY]


# ==========================================================================
# helpers
# ==========================================================================
def fail(msg: str) -> None:
    sys.exit(f"build_seeds.py: ERROR: {msg}")


def check(cond: bool, msg: str) -> None:
    if not cond:
        fail(msg)


def read_csv_dicts(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def clean(s: str | None) -> str:
    """Strip surrounding whitespace (incl. stray CR / BOM); None -> ''."""
    if s is None:
        return ""
    return s.replace("\ufeff", "").strip()


def write_csv(path: Path, header: list[str], rows: list[list]) -> int:
    """Write rows (already sorted) as UTF-8, '\\n', minimal quoting."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        check(len(r) == len(header), f"{path.name}: bad row width {r}")
        out = []
        for v in r:
            if v is None:
                out.append("")
            elif isinstance(v, bool):
                out.append("true" if v else "false")
            else:
                sv = str(v)
                check("\n" not in sv and "\r" not in sv, f"{path.name}: newline in value {sv!r}")
                out.append(sv)
        w.writerow(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return len(rows)


def unique_or_fail(rows: list[list], key_idx: list[int], name: str) -> None:
    keys = Counter(tuple(r[i] for i in key_idx) for r in rows)
    dups = [k for k, n in keys.items() if n > 1]
    check(not dups, f"{name}: duplicate keys {dups[:5]}")


def int_str(v: str, name: str) -> str:
    v = clean(v).replace(",", "")
    check(re.fullmatch(r"-?\d+", v) is not None, f"{name}: not an integer: {v!r}")
    return str(int(v))


def num_str(v: str, name: str) -> str:
    v = clean(v)
    check(re.fullmatch(r"-?\d+(\.\d+)?", v) is not None, f"{name}: not a number: {v!r}")
    return v


# ==========================================================================
# reference seeds
# ==========================================================================
def build_lsoa11_imd2019(shared: Path) -> int:
    src = read_csv_dicts(shared / "deprivation" / "iod2019_lsoa11_merged.csv")
    rows = []
    for r in src:
        decile = int(int_str(r["imd_decile"], "imd_decile"))
        quint = int(int_str(r["imd_quintile"], "imd_quintile"))
        check(1 <= decile <= 10 and quint == math.ceil(decile / 2), f"quintile mismatch {r['lsoa11cd']}")
        rows.append([
            clean(r["lsoa11cd"]), clean(r["lsoa11nm"]), clean(r["lad19cd"]), clean(r["lad19nm"]),
            num_str(r["imd_score"], "imd_score"), int_str(r["imd_rank"], "imd_rank"), decile, quint,
        ])
    rows.sort(key=lambda r: r[0])
    check(len(rows) == 32844, f"ref_lsoa11_imd2019: expected 32844 rows, got {len(rows)}")
    check(all(r[0].startswith("E01") for r in rows), "non-English LSOA in IoD2019")
    unique_or_fail(rows, [0], "ref_lsoa11_imd2019")
    return write_csv(SEEDS_DIR / "reference" / "ref_lsoa11_imd2019.csv",
                     ["lsoa11_code", "lsoa11_name", "lad19_code", "lad19_name",
                      "imd_score", "imd_rank", "imd_decile", "imd_quintile"], rows)


def build_nel_lsoa11(shared: Path) -> int:
    src = read_csv_dicts(shared / "geography" / "nel_lsoa11_la_msoa_icb_imd2019.csv")
    rows = []
    for r in src:
        core20 = clean(r["is_core20_national"])
        check(core20 in ("0", "1"), f"bad is_core20_national {core20!r}")
        check(core20 == ("1" if int(r["imd_decile"]) <= 2 else "0"), "core20 != decile 1-2")
        rows.append([
            clean(r["lsoa11cd"]), clean(r["lsoa11nm"]), clean(r["lad19cd"]), clean(r["lad19nm"]),
            clean(r["msoa11_code"]), clean(r["msoa11_name"]), clean(r["ltla22_code"]), clean(r["ltla22_name"]),
            clean(r["icb22_code"]), clean(r["icb22_name"]),
            int_str(r["pop_total_mid2015"], "pop_total_mid2015"),
            int(int_str(r["imd_quintile_within_nel_lsoas"], "imd_quintile_within_nel_lsoas")),
            core20 == "1",
        ])
    rows.sort(key=lambda r: r[0])
    check(len(rows) == 1023, f"ref_nel_lsoa11: expected 1023 rows, got {len(rows)}")
    unique_or_fail(rows, [0], "ref_nel_lsoa11")
    return write_csv(SEEDS_DIR / "reference" / "ref_nel_lsoa11.csv",
                     ["lsoa11_code", "lsoa11_name", "lad19_code", "lad19_name", "msoa11_code",
                      "msoa11_name", "ltla22_code", "ltla22_name", "icb22_code", "icb22_name",
                      "pop_total_mid2015", "imd_quintile_within_nel", "is_core20_national"], rows)


def build_lsoa_lookup(shared: Path) -> int:
    src = read_csv_dicts(shared / "geography" / "ons_lsoa11_lsoa21_ltla22_lookup_ew.csv")
    rows = []
    for r in src:
        code11 = clean(r["lsoa11_code"])
        if not code11.startswith("E01"):
            continue
        change = clean(r["change_code"])
        check(change in ("U", "S", "M", "X"), f"bad change_code {change!r}")
        rows.append([code11, clean(r["lsoa11_name"]), clean(r["lsoa21_code"]), clean(r["lsoa21_name"]),
                     change, clean(r["ltla22_code"]), clean(r["ltla22_name"])])
    rows.sort(key=lambda r: (r[0], r[2]))
    check(all(r[2].startswith("E01") and r[5].startswith("E0") for r in rows), "non-English target code")
    check(len({r[0] for r in rows}) == 32844, "lookup does not cover all 32,844 English LSOA11")
    unique_or_fail(rows, [0, 2], "ref_lsoa11_lsoa21_lookup")
    return write_csv(SEEDS_DIR / "reference" / "ref_lsoa11_lsoa21_lookup.csv",
                     ["lsoa11_code", "lsoa11_name", "lsoa21_code", "lsoa21_name", "change_code",
                      "ltla22_code", "ltla22_name"], rows)


def build_esp2013(shared: Path) -> int:
    src = read_csv_dicts(shared / "population" / "esp2013_19band_nhsscotland_format.csv")
    rows = []
    for r in src:
        label = clean(r["AgeGroup"])
        m = re.fullmatch(r"(\d+)-(\d+) years", label)
        if m:
            lo, hi, band = int(m.group(1)), int(m.group(2)), f"{m.group(1)}-{m.group(2)}"
        else:
            m = re.fullmatch(r"(\d+)plus years", label)
            check(m is not None, f"unexpected ESP band {label!r}")
            lo, hi, band = int(m.group(1)), None, f"{m.group(1)}+"
        rows.append([band, lo, hi, int(int_str(r["EuropeanStandardPopulation"], "esp"))])
    rows.sort(key=lambda r: r[1])
    check(len(rows) == 19, "ESP2013 must have 19 bands")
    check(sum(r[3] for r in rows) == 100000, "ESP2013 must sum to 100,000")
    for a, b in zip(rows, rows[1:]):
        check(a[2] is not None and a[2] + 1 == b[1], f"ESP bands not contiguous at {a[0]}")
    # cross-check against the PHEindicatormethods copy (shared/reference/phe)
    phe_path = shared.parent / "reference" / "phe" / "esp2013.csv"
    if phe_path.exists():
        phe = {clean(r["ageband"]): int(r["esp2013"]) for r in read_csv_dicts(phe_path)}
        check(phe == {r[0]: r[3] for r in rows}, "ESP2013 differs from shared/reference/phe/esp2013.csv")
    else:
        print(f"  (warning: {phe_path} not found; PHE cross-check skipped)")
    return write_csv(SEEDS_DIR / "reference" / "ref_esp2013.csv",
                     ["age_band", "age_lower", "age_upper", "esp_population"], rows)


# ==========================================================================
# code lists
# ==========================================================================
class CodeTable:
    """Accumulates ref_codelist_codes rows and ref_codelists registry rows."""

    def __init__(self) -> None:
        self.codes: dict[tuple[str, str, str], list] = {}
        self.registry: dict[str, dict] = {}
        self.dropped_dups = Counter()

    def add(self, cid: str, version: str, scheme: str, code: str, term: str, category: str | None = None) -> None:
        check(scheme in SCHEME_ORDER, f"bad scheme {scheme}")
        code, term = clean(code), clean(term)
        check(code != "", f"{cid}: empty code")
        key = (cid, scheme, code)
        if key in self.codes:  # keep the first occurrence (source file order)
            self.dropped_dups[cid] += 1
            return
        self.codes[key] = [cid, version, scheme, code, term, category or None]

    def register(self, cid: str, version: str, source: str, commit: str, licence: str) -> None:
        check(cid in CODELIST_META, f"no title/clinical area for {cid}")
        check(cid not in self.registry, f"{cid} registered twice")
        self.registry[cid] = dict(version=version, source=source, commit=commit, licence=licence)


def load_simple_code_term(path: Path) -> list[tuple[str, str]]:
    return [(r["code"], r["term"]) for r in read_csv_dicts(path)]


def build_codelists(shared: Path) -> tuple[int, int]:
    cl = shared / "codelists"
    t = CodeTable()

    # a. QOF / PCD clusters from OpenCodelists (newest available)
    for cid, (version, (repo, commit)) in PCD_OPENSAFELY.items():
        fname = f"nhsd-primary-care-domain-refsets-{cid}.csv"
        for code, term in load_simple_code_term(cl / fname):
            t.add(cid, version, "snomed", code, term)
        t.register(cid, version, f"{repo}/codelists/{fname}", commit, LIC_OPENSAFELY)

    # a'. QOF v44 expanded cluster list for clusters with nothing newer
    qof = read_csv_dicts(cl / "qof_v44_expanded_cluster_list.csv")
    for cid in QOF_V44_SNOMED + QOF_V44_DMD:
        scheme = "dmd" if cid in QOF_V44_DMD else "snomed"
        sel = [r for r in qof if clean(r["Cluster ID"]).lower() == cid and clean(r["Active status"]) == "1"]
        check(sel, f"QOF v44 cluster {cid} not found")
        versions = {clean(r["Cluster version"]) for r in sel}
        check(len(versions) == 1, f"{cid}: several cluster versions {versions}")
        version = "qof_v44_" + re.sub(r"\.0$", "", versions.pop())
        for r in sel:
            t.add(cid, version, scheme, r["Concept ID"], r["Code description"])
        t.register(cid, version, f"{QOF_V44_REPO}/{QOF_V44_PATH}", QOF_V44_COMMIT, LIC_QOF_V44)

    # b. other OpenSAFELY SNOMED lists
    for cid, (fname, version, (repo, commit)) in OTHER_OPENSAFELY.items():
        for code, term in load_simple_code_term(cl / fname):
            t.add(cid, version, "snomed", code, term)
        t.register(cid, version, f"{repo}/codelists/{fname}", commit, LIC_OPENSAFELY)

    # c. Greater Manchester SDE code sets (no header: code<TAB>description)
    for s in GMSDE_SETS:
        files = sorted((cl / "gmsde").glob(f"{s}.v*.*.tsv"))
        files = [f for f in files if re.fullmatch(rf"{re.escape(s)}\.v\d+\.[a-z0-9]+\.tsv", f.name)]
        check(files, f"no gm-sde files for {s}")
        versions = {f.name.split(".")[1] for f in files}
        check(len(versions) == 1, f"gm-sde {s}: several versions {versions}")
        version = versions.pop()
        cid = "gmsde_" + s.replace("-", "_")
        for f in files:
            scheme = GMSDE_SCHEME[f.name.split(".")[2]]
            text = f.read_text(encoding="utf-8-sig")
            for line in text.splitlines():
                if not line.strip():
                    continue
                parts = line.split("\t")
                t.add(cid, version, scheme, parts[0], parts[1] if len(parts) > 1 else "")
        n = version.lstrip("v")
        t.register(cid, version,
                   f"{GMSDE_REPO}/shared/clinical-code-sets/<group>/{s}/{n}/{s}.<terminology>.txt",
                   GMSDE_COMMIT, LIC_GMSDE)

    # d. NEL NHSE&I childhood immunisation codeset (one codelist per antigen+dose
    #    group, because the same code can belong to several groups)
    seen_groups = set()
    for r in read_csv_dicts(cl / NEL_IMMS_FILE):
        group = clean(r["group"])
        if group not in NEL_IMMS_GROUPS:
            check(group.startswith(NEL_IMMS_DROPPED_PREFIXES), f"unexpected imms group {group!r}")
            continue
        seen_groups.add(group)
        cid = f"nel_childhood_imms_{NEL_IMMS_GROUPS[group][0]}"
        scheme = NEL_IMMS_SCHEME[clean(r["code_system_inferred"])]
        t.add(cid, NEL_IMMS_VERSION, scheme, r["code"], r["term"], category=group)
    check(seen_groups == set(NEL_IMMS_GROUPS), f"missing imms groups {set(NEL_IMMS_GROUPS) - seen_groups}")
    for suffix, _ in NEL_IMMS_GROUPS.values():
        t.register(f"nel_childhood_imms_{suffix}", NEL_IMMS_VERSION,
                   f"{NEL_IMMS_REPO}/{NEL_IMMS_PATH}", NEL_IMMS_COMMIT, LIC_NEL_IMMS)

    # e. dm+d drug lists (verbatim upstream copies in seeds/_build/upstream_dmd)
    for cid, fname, repo, path, commit, oc_id, _title in DMD_SOURCES:
        src = read_csv_dicts(UPSTREAM_DMD_DIR / fname)
        check(src, f"{fname} empty")
        if "dmd_id" in src[0]:        # new OpenCodelists format
            triples = [(r["dmd_id"], r["dmd_name"], r["dmd_type"]) for r in src]
        else:                         # old format: code,term,id,type,bnf_code
            check(all(r["code"] == r["id"] for r in src), f"{fname}: code != id")
            triples = [(r["code"], r["term"], r["type"]) for r in src]
        version = oc_id.rsplit("/", 1)[1]
        for code, term, dmd_type in triples:
            check(clean(code).isdigit(), f"{cid}: non-numeric dm+d code {code!r}")
            dmd_type = clean(dmd_type).upper()
            check(dmd_type in ("VMP", "AMP"), f"{cid}: unexpected dm+d type {dmd_type!r}")
            t.add(cid, version, "dmd", code, term, category=dmd_type)
        t.register(cid, version, f"{repo}/{path} (OpenCodelists {oc_id})", commit, LIC_OPENSAFELY_DMD)

    # ---- write ref_codelist_codes
    rows = sorted(t.codes.values(), key=lambda r: (r[0], SCHEME_ORDER.index(r[2]), r[3]))
    unique_or_fail(rows, [0, 2, 3], "ref_codelist_codes")
    for r in rows:
        if r[2] in ("snomed", "dmd"):
            check(r[3].isdigit(), f"{r[0]}: non-numeric {r[2]} code {r[3]!r}")
    n_codes = write_csv(SEEDS_DIR / "codelists" / "ref_codelist_codes.csv",
                        ["codelist_id", "codelist_version", "code_scheme", "code", "term", "category"], rows)

    # ---- write ref_codelists
    per_id_n = Counter(r[0] for r in rows)
    per_id_schemes: dict[str, set] = {}
    for r in rows:
        per_id_schemes.setdefault(r[0], set()).add(r[2])
    check(set(per_id_n) == set(t.registry), "registry / codes mismatch")
    reg_rows = []
    for cid in sorted(t.registry):
        meta = t.registry[cid]
        title, area = CODELIST_META[cid]
        schemes = "|".join(s for s in SCHEME_ORDER if s in per_id_schemes[cid])
        reg_rows.append([cid, meta["version"], title, area, schemes, per_id_n[cid],
                         meta["source"], meta["commit"], meta["licence"]])
    n_reg = write_csv(SEEDS_DIR / "codelists" / "ref_codelists.csv",
                      ["codelist_id", "codelist_version", "title", "clinical_area", "code_schemes",
                       "n_codes", "source", "source_commit", "licence"], reg_rows)
    if t.dropped_dups:
        print("  duplicate (codelist_id, scheme, code) rows dropped (first kept):",
              dict(sorted(t.dropped_dups.items())))
    return n_codes, n_reg


# ==========================================================================
# ethnicity
# ==========================================================================
def build_ethnicity(shared: Path) -> tuple[int, int, int]:
    # 7. SNOMED ethnicity -> NHS 16+1 (NCL ICB mapping)
    src = read_csv_dicts(shared / "codelists" / "ncl_ethnicity_snomed_to_nhs16_ons.csv")
    rows, seen, skipped = [], set(), []
    for r in src:
        code = clean(r["SNOMED_CODE"])
        if not code.isdigit():              # 'UNKNOWN', 'V84A*' are not SNOMED CT
            skipped.append(code)
            continue
        if code in seen:                    # 315239007 appears twice: keep first term
            continue
        seen.add(code)
        nhs16 = clean(r["BK_ETHNICITY_CODE"])
        bridge = clean(r["ONS_BRIDGE_CODE"])
        check(nhs16 in NHS16_CODES, f"bad NHS16 letter {nhs16!r} for {code}")
        rows.append([code, clean(r["SNOMED_TERM"]), nhs16, clean(r["CATEGORY"]), nhs16 == "Z", bridge])
    rows.sort(key=lambda r: r[0])
    check(set(r[2] for r in rows) == set(NHS16_CODES), "not every NHS 16+1 letter is used")
    unique_or_fail(rows, [0], "ref_ethnicity_codes")
    print(f"  ref_ethnicity_codes: skipped non-SNOMED codes {skipped}")
    n1 = write_csv(SEEDS_DIR / "codelists" / "ref_ethnicity_codes.csv",
                   ["snomed_code", "term", "nhs16_code", "ons_category", "is_not_stated", "ons_bridge_code"], rows)

    # 8. Discovery (Endeavour) legacy maps
    legacy = []
    for system, scheme in (("emis", "readv2"), ("tpp", "ctv3"), ("vision", "readv2")):
        fname = f"endeavour_transforms_{system.capitalize()}EthnicityMap.csv"
        for r in read_csv_dicts(shared / "discovery" / fname):
            code = clean(r["SourceCode"])
            target = clean(r["TargetCode"]) or None
            check(target is None or target in NHS16_CODES, f"bad TargetCode {target!r}")
            sch = scheme
            if system == "emis" and re.match(r"^(\^?ESCT|EMIS)", code):
                sch = "emis_local"
            legacy.append([system, sch, code, clean(r["SourceTerm"]), target])
    legacy.sort(key=lambda r: (r[0], r[2]))
    unique_or_fail(legacy, [0, 2], "ref_ethnicity_legacy_codes")
    n2 = write_csv(SEEDS_DIR / "codelists" / "ref_ethnicity_legacy_codes.csv",
                   ["source_system", "code_scheme", "code", "term", "nhs16_code"], legacy)

    # 9. NHS 16+1 categories
    cats = [[c, label, grp, i + 1] for i, (c, label, grp) in enumerate(NHS_ETHNIC_CATEGORY)]
    n3 = write_csv(SEEDS_DIR / "codelists" / "ref_nhs_ethnic_category.csv",
                   ["nhs16_code", "nhs16_label", "ethnicity_group_5", "sort_order"], cats)
    return n1, n2, n3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                    help=f"path to shared/data (default {DEFAULT_SHARED})")
    args = ap.parse_args()
    shared = args.shared.resolve()
    check((shared / "PROVENANCE.md").exists(), f"{shared} does not look like shared/data")
    print(f"building seeds from {shared}")
    counts = {
        "reference/ref_lsoa11_imd2019.csv": build_lsoa11_imd2019(shared),
        "reference/ref_nel_lsoa11.csv": build_nel_lsoa11(shared),
        "reference/ref_lsoa11_lsoa21_lookup.csv": build_lsoa_lookup(shared),
        "reference/ref_esp2013.csv": build_esp2013(shared),
    }
    n_codes, n_reg = build_codelists(shared)
    counts["codelists/ref_codelist_codes.csv"] = n_codes
    counts["codelists/ref_codelists.csv"] = n_reg
    n1, n2, n3 = build_ethnicity(shared)
    counts["codelists/ref_ethnicity_codes.csv"] = n1
    counts["codelists/ref_ethnicity_legacy_codes.csv"] = n2
    counts["codelists/ref_nhs_ethnic_category.csv"] = n3
    for name, n in counts.items():
        print(f"  {name:45s} {n:7d} rows")


if __name__ == "__main__":
    main()
