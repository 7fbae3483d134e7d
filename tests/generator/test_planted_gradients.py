"""The planted gradients by IMD quintile are measurable straight from the raw files."""

from __future__ import annotations

import math

from planted import BP_READINGS, Z, _check


def test_bp_control_gradient_by_quintile(x):
    planted = x.truth["config"]["hypertension"]["control_by_quintile"]
    rows = x.sql(f"""
        with r as ({BP_READINGS})
        select q, count(*), avg(case when sbp <= case when is_80_plus then 150 else 140 end and dbp <= 90
                                     then 1.0 else 0.0 end),
               avg(e.hyp + r.drift_bp)
        from r join practice_effect e using (ods_code)
        where ods_code not in (select ods_code from project_practice where project_id = 'QI-BP-01' and arm = 'project')
        group by q order by q
    """)
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    for q, n, observed, practice_effects in rows:  # the practices' fixed levels, drift and season, averaged
        expected = planted[q - 1] + practice_effects
        _check(observed, expected, math.sqrt(expected * (1 - expected) / n), f"BP control q{q}")
    assert rows[4][2] - rows[0][2] > 0.05  # the gap itself shows


def test_mean_hba1c_gradient_by_quintile(x):
    planted = x.truth["config"]["diabetes"]["hba1c_mean_by_quintile"]
    cfg = x.truth["config"]["diabetes"]
    rows = x.sql("""
        select a.q, count(*), count(distinct o.person_id),
               avg(case when o.v < 20 then 10.929 * o.v - 23.5 else o.v end - dr.hba1c)  -- net of practice drift
        from obs o
        join dx on dx.person_id = o.person_id and dx.codelist_id = 'dm_cod' and dx.d <= o.d
        join addr a on a.patient_id = o.patient_id and o.d >= a.start_date and o.d < a.end_date
        join practice p on p.organization_id = o.organization_id
        join practice_drift dr on dr.ods_code = p.ods_code and o.d >= dr.year_start and o.d < dr.year_end
        where o.code in (select code from codes where codelist_id in ('ifcchbam_cod', 'hba1c_tests'))
          and o.d >= date '2016-04-01'
          and p.ods_code not in (select ods_code from project_practice where project_id = 'QI-DM-01')
        group by a.q order by a.q
    """)
    for q, n_tests, n_people, observed in rows:
        se = math.sqrt(
            cfg["hba1c_person_sd"] ** 2 / n_people + cfg["hba1c_test_sd"] ** 2 / n_tests + 0.3 ** 2 / n_tests
        )
        _check(observed, planted[q - 1], se, f"mean HbA1c q{q}")


def test_childhood_immunisation_gradient(x):
    """Children registered on their first birthday with all three DTaP/IPV/Hib(/HepB) doses by then."""
    planted = x.truth["config"]["immunisations"]["dtap_primary_by_quintile"]
    rows = x.sql("""
        with child as (
            select distinct pt.person_id, pt.id as patient_id, pt.date_of_birth + interval 1 year as birthday
            from kept_patient pt
            join kept_episode_of_care e on e.patient_id = pt.id
            join raw_concept t on t.dbid = e.registration_type_concept_id and t.id = 'FHIR_RT_R'
            where pt.date_of_birth + interval 1 year between date '2017-04-01' and date '2026-03-31'
              and e.date_registered <= pt.date_of_birth + interval 1 year
              and coalesce(e.date_registered_end, date '9999-12-31') > pt.date_of_birth + interval 1 year
              and pt.last_name is null
        ),
        doses as (
            select c.person_id, count(distinct regexp_extract(k.codelist_id, '_([0-9])$', 1)) as n
            from child c
            join kept_observation o on o.person_id = c.person_id and o.clinical_effective_date <= c.birthday
            join raw_concept n on n.dbid = o.non_core_concept_id
            join codes k on k.code = n.code and (k.codelist_id like 'nel_childhood_imms_dtap_ipv_hib_%'
                                                 or k.codelist_id like 'nel_childhood_imms_6in1_%')
            group by all
        )
        select a.q, count(*), avg(case when d.n = 3 then 1.0 else 0.0 end)
        from child c
        join addr a on a.patient_id = c.patient_id and c.birthday >= a.start_date and c.birthday < a.end_date
        left join doses d on d.person_id = c.person_id
        group by a.q order by a.q
    """)
    for q, n, observed in rows:
        expected = planted[q - 1]
        # +0.01: the planted course follows the address at birth; a few babies move before their birthday
        _check(observed, expected, math.sqrt(expected * (1 - expected) / n) + 0.01 / Z, f"DTaP primary q{q}")


def test_cervical_screening_coverage_gradient(x):
    """Women 30-49 registered for the whole 3.5-year window: coverage = p for attendance p when the window holds
    one 3-yearly invitation, and 1 - P(missing both) when it holds two (probability about 1/6), with persistent
    non-attenders missing both."""
    cfg = x.truth["config"]["cervical_screening"]
    rows = x.sql("""
        with d as (select date '2025-03-31' as d),
        women as (
            select distinct pt.person_id, pt.id as patient_id, p.ods_code
            from kept_patient pt, d
            join kept_episode_of_care e on e.patient_id = pt.id
            join raw_concept t on t.dbid = e.registration_type_concept_id and t.id = 'FHIR_RT_R'
            join raw_concept g on g.dbid = pt.gender_concept_id and g.id = 'FHIR_AG_female'
            join practice p on p.organization_id = pt.organization_id
            where (d.d - pt.date_of_birth) / 365.25 between 30 and 49.99
              and e.date_registered <= d.d - interval 1278 day
              and coalesce(e.date_registered_end, date '9999-12-31') > d.d
              and pt.last_name is null
              and not exists (select 1 from obs o where o.person_id = pt.person_id and o.d <= d.d
                              and o.code in (select code from codes where codelist_id = 'nocx_cod'))
        ),
        screened as (
            select distinct o.person_id from obs o, d
            where o.code in (select code from codes where codelist_id = 'smear_cod')
              and o.d > d.d - interval 1278 day and o.d <= d.d
        )
        select a.q, w.ods_code, count(*), count(s.person_id)
        from women w cross join d
        join addr a on a.patient_id = w.patient_id and d.d >= a.start_date and d.d < a.end_date
        left join screened s on s.person_id = w.person_id
        where w.ods_code not in (select ods_code from project_practice where project_id = 'QI-CS-01')
        group by all
    """)
    effects = {p["practice_code"]: p["cervical_attendance_practice_effect"] for p in x.truth["practices"]}
    # the practice's drift over the window's years (invitations 2021-10 .. 2025-03: drift years 2021-2024)
    drift_years = [x.truth["drift_years"].index(f"{y}-04-01") for y in (2021, 2022, 2023, 2024)]
    drift = {p["practice_code"]: sum(p["drift_by_year"]["cervical_attendance"][k] for k in drift_years) / 4
             for p in x.truth["practices"]}
    share = cfg["persistent_non_attender_share"]
    # ethnic-group offsets averaged over the population (south Asian and black women attend a little less)
    offset = -0.03
    by_q: dict[int, list[float]] = {}
    for q, ods, n, screened in rows:
        p = cfg["attend_by_quintile"][q - 1] + offset + effects[ods] + drift[ods]
        # two invitations in the window (probability 1/6): persistent non-attenders miss both, the others
        # attend each with p / (1 - share)
        p_others = p / (1 - share)
        two = (1 - share) * (1 - (1 - p_others) ** 2)
        total = by_q.setdefault(q, [0.0, 0.0, 0.0])
        total[0] += n
        total[1] += screened
        total[2] += n * (p + (two - p) / 6)
    for q, (n, screened, expected_sum) in sorted(by_q.items()):
        expected = expected_sum / n
        # +0.02 for the offset approximation
        _check(screened / n, expected, math.sqrt(expected * (1 - expected) / n) + 0.02 / Z, f"CS coverage q{q}")


def test_recorded_hypertension_prevalence_matches_truth(x):
    """Recorded prevalence at 31 March 2025 by quintile equals the generator's diagnosed count (clean state)."""
    realised = x.truth["realised"]["prevalence_at_year_end"]["2025-03-31"]
    rows = dict((r[0], (r[1], r[2])) for r in x.sql("""
        with d as (select date '2025-03-31' as d),
        registered as (
            select distinct on (pt.person_id) pt.person_id, pt.id as patient_id
            from kept_patient pt, d
            join kept_episode_of_care e on e.patient_id = pt.id
            join raw_concept t on t.dbid = e.registration_type_concept_id and t.id = 'FHIR_RT_R'
            where e.registration_status_concept_id not in (1335283, 1335284, 1335285)
              and e.date_registered <= d.d and pt.last_name is null
              and (e.date_registered_end is null or e.date_registered_end > d.d)
              and (pt.date_of_death is null or pt.date_of_death > d.d)
            order by pt.person_id, e.date_registered desc
        )
        select a.q, count(*), count(dx.person_id)
        from registered r cross join d
        join addr a on a.patient_id = r.patient_id and d.d >= a.start_date and d.d < a.end_date
        left join dx on dx.person_id = r.person_id and dx.codelist_id = 'hyp_cod' and dx.d <= d.d
        group by a.q order by a.q
    """))
    for q in range(1, 6):
        registered, diagnosed = rows[q]
        truth_rate = realised["hypertension_diagnosed"][q - 1] / realised["registered"][q - 1]
        # the raw files lose ~2% of addresses to broken LSOAs and keep resolved codes; 0.004 covers both
        assert abs(diagnosed / registered - truth_rate) < 0.004, (q, diagnosed / registered, truth_rate)
    true_q1 = realised["hypertension_true"][0] / realised["registered"][0]
    diag_q1 = realised["hypertension_diagnosed"][0] / realised["registered"][0]
    true_q5 = realised["hypertension_true"][4] / realised["registered"][4]
    diag_q5 = realised["hypertension_diagnosed"][4] / realised["registered"][4]
    assert diag_q1 / true_q1 < diag_q5 / true_q5  # under-diagnosis is worse where deprivation is higher
