"""The Discovery Compass v2 ("subscriber") tables the synthetic extract holds.

This is the single description of the raw extract: the generator writes exactly these columns, in this
order, and the tests check the files against it. Column names and types follow the Compass v2
`create_tables.sql` (see shared docs, discovery_schema.md §2); identifying columns (names, NHS number,
address lines, postcode) are kept but left empty, as in a pseudonymised subscriber feed.

Every CSV file starts with Discovery's `is_delete` flag; a delete row carries only `is_delete` and the key.
"""

from __future__ import annotations

from dataclasses import dataclass

# SQL types as DuckDB spells them; `arrow_type` in writer.py maps them for Parquet.
BIGINT = "BIGINT"
INTEGER = "INTEGER"
SMALLINT = "SMALLINT"
TINYINT = "TINYINT"
VARCHAR = "VARCHAR"
DATE = "DATE"
TIMESTAMP = "TIMESTAMP"
REAL = "REAL"
BOOLEAN = "BOOLEAN"
AGE_DECIMAL = "DECIMAL(5,2)"


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[tuple[str, str], ...]

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    @property
    def file_columns(self) -> list[tuple[str, str]]:
        """Columns as written to file: the `is_delete` flag first, then the table's own columns."""
        return [("is_delete", BOOLEAN), *self.columns]


_CLINICAL_HEAD = (
    ("id", BIGINT),
    ("organization_id", BIGINT),
    ("patient_id", BIGINT),
    ("person_id", BIGINT),
)

_PATIENT_BODY = (
    ("title", VARCHAR),
    ("first_names", VARCHAR),
    ("last_name", VARCHAR),
    ("gender_concept_id", INTEGER),
    ("nhs_number", VARCHAR),
    ("date_of_birth", DATE),
    ("date_of_death", DATE),
    ("current_address_id", BIGINT),
    ("ethnic_code_concept_id", INTEGER),
    ("registered_practice_organization_id", BIGINT),
    ("birth_year", SMALLINT),
    ("birth_month", TINYINT),
    ("birth_week", TINYINT),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "organization",
            "id",
            (
                ("id", BIGINT),
                ("ods_code", VARCHAR),
                ("name", VARCHAR),
                ("type_code", VARCHAR),
                ("type_desc", VARCHAR),
                ("postcode", VARCHAR),
                ("parent_organization_id", BIGINT),
            ),
        ),
        Table("person", "id", (("id", BIGINT), ("organization_id", BIGINT), *_PATIENT_BODY)),
        Table(
            "patient",
            "id",
            (("id", BIGINT), ("organization_id", BIGINT), ("person_id", BIGINT), *_PATIENT_BODY),
        ),
        Table(
            "patient_pseudo_id",
            "id",
            (
                *_CLINICAL_HEAD,
                ("salt_name", VARCHAR),
                ("skid", VARCHAR),
                ("is_nhs_number_valid", BOOLEAN),
                ("is_nhs_number_verified_by_publisher", BOOLEAN),
            ),
        ),
        Table(
            "episode_of_care",
            "id",
            (
                *_CLINICAL_HEAD,
                ("registration_type_concept_id", INTEGER),
                ("registration_status_concept_id", INTEGER),
                ("date_registered", DATE),
                ("date_registered_end", DATE),
                ("usual_gp_practitioner_id", BIGINT),
            ),
        ),
        Table(
            "patient_address",
            "id",
            (
                *_CLINICAL_HEAD,
                ("address_line_1", VARCHAR),
                ("address_line_2", VARCHAR),
                ("address_line_3", VARCHAR),
                ("address_line_4", VARCHAR),
                ("city", VARCHAR),
                ("postcode", VARCHAR),
                ("use_concept_id", INTEGER),
                ("start_date", DATE),
                ("end_date", DATE),
                ("lsoa_2001_code", VARCHAR),
                ("lsoa_2011_code", VARCHAR),
                ("msoa_2001_code", VARCHAR),
                ("msoa_2011_code", VARCHAR),
                ("ward_code", VARCHAR),
                ("local_authority_code", VARCHAR),
            ),
        ),
        Table(
            "observation",
            "id",
            (
                *_CLINICAL_HEAD,
                ("encounter_id", BIGINT),
                ("practitioner_id", BIGINT),
                ("clinical_effective_date", DATE),
                ("date_precision_concept_id", INTEGER),
                ("result_value", REAL),
                ("result_value_units", VARCHAR),
                ("result_date", DATE),
                ("result_text", VARCHAR),
                ("result_concept_id", INTEGER),
                ("is_problem", BOOLEAN),
                ("is_review", BOOLEAN),
                ("problem_end_date", DATE),
                ("parent_observation_id", BIGINT),
                ("core_concept_id", INTEGER),
                ("non_core_concept_id", INTEGER),
                ("age_at_event", AGE_DECIMAL),
                ("episodicity_concept_id", INTEGER),
                ("is_primary", BOOLEAN),
                ("date_recorded", TIMESTAMP),
            ),
        ),
        Table(
            "medication_statement",
            "id",
            (
                *_CLINICAL_HEAD,
                ("encounter_id", BIGINT),
                ("practitioner_id", BIGINT),
                ("clinical_effective_date", DATE),
                ("date_precision_concept_id", INTEGER),
                ("cancellation_date", DATE),
                ("dose", VARCHAR),
                ("quantity_value", REAL),
                ("quantity_unit", VARCHAR),
                ("authorisation_type_concept_id", INTEGER),
                ("core_concept_id", INTEGER),
                ("non_core_concept_id", INTEGER),
                ("bnf_reference", VARCHAR),
                ("age_at_event", AGE_DECIMAL),
                ("issue_method", VARCHAR),
            ),
        ),
        Table(
            "concept",
            "dbid",
            (
                ("dbid", INTEGER),
                ("document", INTEGER),
                ("id", VARCHAR),
                ("draft", BOOLEAN),
                ("name", VARCHAR),
                ("description", VARCHAR),
                ("scheme", BIGINT),
                ("code", VARCHAR),
                ("use_count", INTEGER),
                ("updated", TIMESTAMP),
            ),
        ),
        Table(
            "concept_map",
            "id",
            (
                ("legacy", INTEGER),
                ("core", INTEGER),
                ("updated", TIMESTAMP),
                ("id", INTEGER),
                ("deleted", BOOLEAN),
            ),
        ),
    )
}

SCHEMA_VERSION = "compass-v2-subscriber/equity-qi-1"
