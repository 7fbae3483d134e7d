"""Views over the planted extract shared by the planted-truth tests, and their tolerance check.

Each test computes a quantity with plain SQL over the raw files (no warehouse code) and compares it with what
ground_truth.json says was planted, within a tolerance derived from the sampling error of that computation.
"""

from __future__ import annotations

import datetime as dt

import pytest

DRIFT_QUANTITIES = ("bp_control", "cervical_attendance", "hba1c_mean")
Z = 4.0  # tolerance in standard errors: a correct generator fails about once in 15,000 runs per check


@pytest.fixture(scope="session")
def x(planted):
    con = planted.con
    for table in ("observation", "patient_address", "episode_of_care", "patient"):
        con.execute(
            f"create or replace view kept_{table} as select distinct * exclude (is_delete) from raw_{table} "
            f"where not is_delete and id not in (select id from raw_{table} where is_delete)"
        )
    con.execute("""
        create or replace table obs as
        select o.person_id, o.patient_id, o.organization_id, o.clinical_effective_date as d, o.result_value as v,
               o.result_value_units as units, o.parent_observation_id as parent_id, o.id, c.code
        from kept_observation o join raw_concept c on c.dbid = o.core_concept_id
        where o.clinical_effective_date <= date '2026-03-31'
    """)
    con.execute("""
        create or replace table codes as
        select codelist_id, code, category from ref_codelist_codes
    """)
    con.execute("""
        create or replace table addr as
        select a.patient_id, a.start_date, coalesce(a.end_date, date '9999-12-31') as end_date,
               i.imd_quintile::int as q, i.imd_decile::int as decile
        from kept_patient_address a join ref_lsoa11_imd2019 i on i.lsoa11_code = a.lsoa_2011_code
    """)
    con.execute("""
        create or replace table practice as
        select o.id as organization_id, o.ods_code from raw_organization o where o.type_code = 'PR'
    """)
    effects = [(p["practice_code"], p["bp_control_practice_effect"], p["cervical_attendance_practice_effect"])
               for p in planted.truth["practices"]]
    con.execute("create or replace table practice_effect (ods_code varchar, hyp double, cs double)")
    con.executemany("insert into practice_effect values (?, ?, ?)", effects)
    # each practice's planted drift by year (ground_truth.json drift_years / drift_by_year): [year_start, year_end)
    starts = [dt.date.fromisoformat(d) for d in planted.truth["drift_years"]]
    years = starts + [starts[-1].replace(year=starts[-1].year + 1)]
    assert planted.truth["config"]["hypertension"]["winter_control_dip"] == 0.03  # SEASON below
    drift = [
        (p["practice_code"], years[k], years[k + 1], *(p["drift_by_year"][q][k] for q in DRIFT_QUANTITIES))
        for p in planted.truth["practices"] for k in range(len(years) - 1)
    ]
    con.execute("create or replace table practice_drift (ods_code varchar, year_start date, year_end date, "
                "bp double, cs double, hba1c double)")
    con.executemany("insert into practice_drift values (?, ?, ?, ?, ?, ?)", drift)
    con.execute("create or replace table project_practice (project_id varchar, ods_code varchar, arm varchar)")
    for p in planted.truth["qi_projects"]:
        con.executemany("insert into project_practice values (?, ?, ?)",
                        [(p["project_id"], c, "project") for c in p["practice_codes"]]
                        + [(p["project_id"], c, "comparison") for c in p["comparison_practice_codes"]])
    con.execute("""
        create or replace table dx as
        select c.codelist_id, o.person_id, min(o.d) as d from obs o join codes c on c.code = o.code
        where c.codelist_id in ('hyp_cod', 'dm_cod') group by all
    """)
    return planted


def _check(observed: float, expected: float, se: float, what: str) -> None:
    print(f"{what}: observed {observed:.4f}, planted {expected:.4f}, se {se:.4f}, z {(observed - expected) / se:+.2f}")
    assert abs(observed - expected) <= Z * se, f"{what}: observed {observed:.4f}, planted {expected:.4f}, se {se:.4f}"


# -0.03 cos(2 pi (day of year - 15) / 365.25): the planted seasonal swing of BP control (winter_control_dip 0.03)
SEASON = "-0.03 * cos(2 * pi() * (dayofyear(s.d) - 1 - 15) / 365.25)"

BP_READINGS = f"""
    with sys as (select * from obs where code in (select code from codes where codelist_id = 'sbp_qof')
                   and parent_id is not null and v between 40 and 350),
         dia as (select * from obs where code in (select code from codes where codelist_id = 'dbp_qof')
                   and parent_id is not null and v between 20 and 200)
    select s.person_id, s.patient_id, s.organization_id, s.d, s.v as sbp, d.v as dbp, a.q, a.decile, p.ods_code,
           (s.d - pt.date_of_birth) / 365.25 >= 80 as is_80_plus,
           -- the planted practice drift of the reading's year and the season (config hypertension.winter_control_dip)
           dr.bp + {SEASON} as drift_bp
    from sys s
    join dia d on d.parent_id = s.parent_id
    join dx on dx.person_id = s.person_id and dx.codelist_id = 'hyp_cod' and dx.d <= s.d
    join addr a on a.patient_id = s.patient_id and s.d >= a.start_date and s.d < a.end_date
    join practice p on p.organization_id = s.organization_id
    join kept_patient pt on pt.id = s.patient_id
    join practice_drift dr on dr.ods_code = p.ods_code and s.d >= dr.year_start and s.d < dr.year_end
    where s.d >= date '2016-04-01'
"""


