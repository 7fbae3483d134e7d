"""Turn one chunk's people, registrations, addresses and events into Compass v2 table frames.

Ids are local to the chunk (0-based per table); the writer shifts them by running offsets so ids are unique
across the extract. One patient record (patient row, episode, pseudo id) exists per registration stint.
"""

from __future__ import annotations

import numpy as np

from .context import UNITS, Chunk
from .events import PRECISION_DAY, PRECISION_MONTH, PRECISION_YEAR
from .frames import Coded, Frame, coded
from .population import ETHNIC_LETTERS, NEVER, YEAR

REG_TYPES = ("FHIR_RT_R", "FHIR_RT_T", "FHIR_RT_D")
DOSES = ("One tablet once daily", "One tablet twice daily", "Take one daily", "As directed")


def _null_if_never(day: np.ndarray) -> np.ndarray:
    return np.where(day >= NEVER, NEVER, day)


def build_tables(ch: Chunk, recorded_letter: np.ndarray) -> dict[str, Frame]:
    pop, world, codes = ch.pop, ch.world, ch.codes
    stints, addresses = pop.stints, pop.addresses
    n_stint = len(stints)
    org = world.org_id_of_practice(stints.value)
    s_person = stints.person

    # Address rows belong to the patient record (stint) in force when they start.
    a_stint = stints.lookup(addresses.person, addresses.start)
    a_has_next = np.concatenate([addresses.person[1:] == addresses.person[:-1], [False]])
    lsoa = addresses.value
    patient_address: Frame = {
        "id": np.arange(len(addresses)),
        "organization_id": org[a_stint],
        "patient_id": a_stint,
        "person_id": addresses.person,
        "use_concept_id": np.full(len(addresses), codes.enum("FHIR_AU_home")),
        "start_date": addresses.start,
        "end_date": np.where(a_has_next, addresses.end, NEVER),
        "lsoa_2011_code": world.lsoas.code[lsoa].astype(object),
        "msoa_2011_code": np.where(world.lsoas.is_nel[lsoa], world.lsoas.msoa_code[lsoa], None).astype(object),
        "local_authority_code": world.lsoas.la_code[lsoa].astype(object),
    }
    # Each record's current address: its last address row.
    last_row = np.full(n_stint, -1)
    last_row[a_stint] = np.arange(len(addresses))  # rows are in time order, so the last write wins

    gender = np.where(pop.sex_female, codes.enum("FHIR_AG_female"), codes.enum("FHIR_AG_male"))
    letters = np.array([codes.enum(f"FHIR_EC_{x}") for x in ETHNIC_LETTERS])
    ethnic_concept = np.where(recorded_letter >= 0, letters[np.maximum(recorded_letter, 0)], -1)
    birth = pop.birth.astype("datetime64[D]")
    birth_year = birth.astype("datetime64[Y]").astype(int) + 1970
    birth_month = birth.astype("datetime64[M]").astype(int) % 12 + 1
    death = np.where(pop.death < ch.extract, pop.death, NEVER)
    names = pop.test_names

    def people_columns(person: np.ndarray) -> Frame:
        return {
            "title": names[person, 0],
            "first_names": names[person, 1],
            "last_name": names[person, 2],
            "gender_concept_id": gender[person],
            "date_of_birth": pop.birth[person],
            "date_of_death": death[person],
            "ethnic_code_concept_id": ethnic_concept[person],
            "birth_year": birth_year[person],
            "birth_month": birth_month[person],
        }

    patient: Frame = {
        "id": np.arange(n_stint),
        "organization_id": org,
        "person_id": s_person,
        **people_columns(s_person),
        "current_address_id": last_row,
        "registered_practice_organization_id": org,
    }
    # person: copied from the person's latest registration (Discovery's update_person_record rule).
    latest = np.flatnonzero(np.concatenate([s_person[1:] != s_person[:-1], [True]]))
    person: Frame = {
        "id": s_person[latest],
        "organization_id": org[latest],
        **people_columns(s_person[latest]),
        "current_address_id": last_row[latest],
        "registered_practice_organization_id": org[latest],
    }

    status = np.array([codes.enum(x) for x in ("FHIR_RS_R1", "FHIR_RS_D1", "FHIR_RS_D4", "FHIR_RS_D11")])
    reg_type = np.array([codes.enum(x) for x in REG_TYPES])
    episode: Frame = {
        "id": np.arange(n_stint),
        "organization_id": org,
        "patient_id": np.arange(n_stint),
        "person_id": s_person,
        "registration_type_concept_id": reg_type[pop.reg_type[s_person]],
        "registration_status_concept_id": status[stints.end_reason],
        "date_registered": stints.start,
        "date_registered_end": _null_if_never(np.where(stints.end < ch.extract, stints.end, NEVER)),
    }
    skid = pop.skid
    pseudo: Frame = {
        "id": np.arange(n_stint),
        "organization_id": org,
        "patient_id": np.arange(n_stint),
        "person_id": s_person,
        "salt_name": coded(["EQUITY_QI_SYNTHETIC"], n_stint),
        "skid": skid[s_person],
        "is_nhs_number_valid": pop.reg_type[s_person] == 0,
        "is_nhs_number_verified_by_publisher": np.ones(n_stint, bool),
    }
    return {
        "patient": patient,
        "person": person,
        "episode_of_care": episode,
        "patient_pseudo_id": pseudo,
        "patient_address": patient_address,
        "observation": _observations(ch),
        "medication_statement": _medications(ch),
    }


def _clinical_head(ch: Chunk, rows: dict[str, np.ndarray], order: np.ndarray) -> tuple[Frame, np.ndarray]:
    person = rows["person"][order]
    day = rows["day"][order]
    stint = ch.pop.stints.lookup(person, day)
    age = np.round((day - ch.pop.birth[person]) / YEAR, 2)
    head: Frame = {
        "id": np.arange(len(order)),
        "organization_id": ch.world.org_id_of_practice(ch.pop.stints.value[stint]),
        "patient_id": stint,
        "person_id": person,
        "clinical_effective_date": day,
        "age_at_event": np.where(age < 999.99, age, np.nan),
    }
    return head, day


def _observations(ch: Chunk) -> Frame:
    rows = ch.obs.build()
    n = len(rows["person"])
    order = np.lexsort((np.arange(n), rows["day"], rows["person"]))
    frame, day = _clinical_head(ch, rows, order)
    new_id = np.empty(n, np.int64)
    new_id[order] = np.arange(n)
    parent = rows["parent"][order]
    precision_ids = np.array([ch.codes.enum(f"DS_DATE_PREC_{p}") for p in ("day", "month", "year")])
    precision = rows["precision"][order]
    seconds = ch.rng.integers(8 * 3600, 19 * 3600, n)
    frame.update(
        {
            "date_precision_concept_id": precision_ids[precision],
            "result_value": rows["value"][order],
            "result_value_units": Coded(rows["units"][order], UNITS),
            "is_problem": rows["is_problem"][order].astype(bool),
            "is_review": np.zeros(n, bool),
            "parent_observation_id": np.where(parent >= 0, new_id[np.maximum(parent, 0)], -1),
            "core_concept_id": rows["core"][order],
            "non_core_concept_id": rows["non_core"][order],
            "date_recorded": (day + rows["recorded_lag"][order]) * 86_400 + seconds,
            "_kind": rows["kind"][order],
        }
    )
    assert PRECISION_DAY == 0 and PRECISION_MONTH == 1 and PRECISION_YEAR == 2
    return frame


def _medications(ch: Chunk) -> Frame:
    rows = ch.meds.build()
    if not rows:
        return {}
    n = len(rows["person"])
    order = np.lexsort((np.arange(n), rows["day"], rows["person"]))
    frame, _ = _clinical_head(ch, rows, order)
    rng = ch.rng
    bnf = rows["bnf"][order]
    bnf_codes = tuple(sorted(set(bnf.tolist())))
    frame.update(
        {
            "date_precision_concept_id": np.full(n, ch.codes.enum("DS_DATE_PREC_day")),
            "dose": coded(list(DOSES), n, rng, [0.6, 0.15, 0.15, 0.1]),
            "quantity_value": rng.choice([28.0, 56.0, 84.0], n, p=[0.6, 0.3, 0.1]),
            "quantity_unit": coded(["tablet"], n),
            "authorisation_type_concept_id": np.full(n, ch.codes.enum("FHIR_MSAT_repeat")),
            "core_concept_id": rows["core"][order],
            "non_core_concept_id": rows["non_core"][order],
            "bnf_reference": Coded(np.searchsorted(bnf_codes, bnf), bnf_codes),
            "issue_method": coded(["Repeat"], n),
        }
    )
    return frame

