"""Write frames as Discovery-style CSV (leading `is_delete`) or Parquet, chunk by chunk, with global ids."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .frames import NULL_TIMESTAMP, Coded, Frame, frame_len
from .population import NEVER
from .schema import TABLES

ARROW_TYPES = {
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "SMALLINT": pa.int16(),
    "TINYINT": pa.int8(),
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("ms"),
    "REAL": pa.float32(),
    "BOOLEAN": pa.bool_(),
    "DECIMAL(5,2)": pa.decimal128(5, 2),
}
# Columns holding another table's local id, shifted by that table's running offset.
REFERENCES = {
    "patient_id": "patient",
    "person_id": "person",
    "parent_observation_id": "observation",
    "current_address_id": "patient_address",
}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(name, ARROW_TYPES[sql]) for name, sql in TABLES[table].file_columns])


def to_arrow(values: np.ndarray | Coded | None, sql_type: str, n: int) -> pa.Array:
    arrow_type = ARROW_TYPES[sql_type]
    if values is None:
        return pa.nulls(n, arrow_type)
    if isinstance(values, Coded):
        indices = pa.array(values.indices.astype(np.int32), mask=values.indices < 0)
        return pa.DictionaryArray.from_arrays(indices, pa.array(values.categories, pa.string())).cast(pa.string())
    if sql_type == "VARCHAR":
        return pa.array(values, type=pa.string(), from_pandas=True)
    if sql_type == "BOOLEAN":
        return pa.array(values.astype(bool))
    if sql_type == "DATE":
        return pa.array(values.astype(np.int32), mask=values >= NEVER).cast(pa.date32())
    if sql_type == "TIMESTAMP":
        return pa.array(values.astype(np.int64) * 1000, mask=values >= NULL_TIMESTAMP).cast(arrow_type)
    if sql_type in ("REAL", "DECIMAL(5,2)"):
        floats = pa.array(values.astype(np.float64), mask=np.isnan(values))
        return floats.cast(arrow_type) if sql_type == "REAL" else pa.compute.round(floats, 2).cast(arrow_type)
    return pa.array(values.astype(np.int64), mask=values < 0).cast(arrow_type)


class ExtractWriter:
    def __init__(self, folder: Path, fmt: str) -> None:
        self.folder = folder
        self.fmt = fmt
        self.offsets = {name: 1 for name in TABLES}  # ids start at 1
        self.rows = {name: 0 for name in TABLES}
        self._writers: dict[str, pacsv.CSVWriter | pq.ParquetWriter] = {}

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.{self.fmt}"

    def write(self, table: str, frame: Frame, delete_ids: np.ndarray | None = None, shift: bool = True) -> None:
        """Append a chunk's rows (then its id-only delete rows), shifting local ids to global ones."""
        schema = TABLES[table]
        n = frame_len(frame)
        deletes = delete_ids if delete_ids is not None else np.empty(0, np.int64)
        if shift:
            frame = {
                column: self._shift(
                    values, self.offsets[table] if column == schema.key else self.offsets[REFERENCES[column]]
                )
                if column == schema.key or column in REFERENCES else values
                for column, values in frame.items()
            }
            deletes = deletes + self.offsets[table]
        if n:
            self._append(table, self._batch(table, frame, n, is_delete=False))
        if len(deletes):
            self._append(table, self._batch(table, {schema.key: deletes}, len(deletes), is_delete=True))
        self.rows[table] += n + len(deletes)

    @staticmethod
    def _shift(values: np.ndarray, offset: int) -> np.ndarray:
        return np.where(values >= 0, values + offset, -1)

    def advance(self, table: str, local_ids_used: int) -> None:
        """Move a table's id offset past the ids a chunk used."""
        self.offsets[table] += local_ids_used

    def _batch(self, table: str, frame: Frame, n: int, is_delete: bool) -> pa.RecordBatch:
        arrays = [pa.array(np.full(n, is_delete))]
        for name, sql_type in TABLES[table].columns:
            arrays.append(to_arrow(frame.get(name), sql_type, n))
        return pa.RecordBatch.from_arrays(arrays, schema=arrow_schema(table))

    def _append(self, table: str, batch: pa.RecordBatch) -> None:
        if table not in self._writers:
            if self.fmt == "csv":
                self._writers[table] = pacsv.CSVWriter(str(self.path(table)), batch.schema)
            else:
                self._writers[table] = pq.ParquetWriter(str(self.path(table)), batch.schema, compression="zstd")
        if self.fmt == "csv":
            self._writers[table].write_batch(batch)
        else:
            self._writers[table].write_table(pa.Table.from_batches([batch]), row_group_size=1 << 20)

    def close(self) -> None:
        """Close every file; a table with no rows still gets a file with its header / schema."""
        for table in TABLES:
            if table not in self._writers:
                empty = pa.RecordBatch.from_arrays(
                    [pa.nulls(0, f.type) for f in arrow_schema(table)], schema=arrow_schema(table)
                )
                self._append(table, empty)
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()
