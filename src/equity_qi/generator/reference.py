"""Reference data the generator draws from: the project's own seeds (LSOAs with IMD, codelists)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

NEL_BOROUGHS = (
    "E09000001",  # City of London
    "E09000002",  # Barking and Dagenham
    "E09000012",  # Hackney
    "E09000016",  # Havering
    "E09000025",  # Newham
    "E09000026",  # Redbridge
    "E09000030",  # Tower Hamlets
    "E09000031",  # Waltham Forest
)
# Local authorities next to NEL whose residents register with NEL practices.
NEIGHBOUR_LAS = ("E07000072", "E07000068", "E06000034", "E09000010", "E09000014", "E09000019", "E09000004")


def seeds_dir() -> Path:
    """The repository's seeds folder (override with EQUITY_QI_SEEDS_DIR)."""
    override = os.environ.get("EQUITY_QI_SEEDS_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "seeds"


def read_seed(relative: str) -> pa.Table:
    path = seeds_dir() / relative
    if not path.is_file():
        raise FileNotFoundError(f"reference seed missing: {path}")
    names = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 26)).column_names
    types = {name: pa.string() for name in names}
    return pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=1 << 26),
        convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True),
    )


def column(table: pa.Table, name: str) -> np.ndarray:
    return np.array(table.column(name).to_pylist(), dtype=object)


@dataclass(frozen=True)
class Lsoas:
    """All LSOAs a patient may live in: NEL's own, then neighbouring areas outside NEL."""

    code: np.ndarray  # object array of LSOA11 codes
    la_code: np.ndarray  # local authority (LAD19) code
    msoa_code: np.ndarray  # MSOA11 code ('' outside NEL)
    population: np.ndarray  # mid-2015 population (weights)
    imd_decile: np.ndarray  # national IMD 2019 decile, 1 = most deprived
    is_nel: np.ndarray

    @property
    def imd_quintile(self) -> np.ndarray:
        return (self.imd_decile + 1) // 2

    def __len__(self) -> int:
        return len(self.code)


class Reference:
    """Lazily loaded reference tables."""

    @cached_property
    def lsoas(self) -> Lsoas:
        nel = read_seed("reference/ref_nel_lsoa11.csv")
        imd = read_seed("reference/ref_lsoa11_imd2019.csv")
        decile = dict(zip(column(imd, "lsoa11_code"), column(imd, "imd_decile").astype(int)))
        imd_la = column(imd, "lad19_code")
        outside = np.isin(imd_la, NEIGHBOUR_LAS)
        nel_codes = column(nel, "lsoa11_code")
        out_codes = column(imd, "lsoa11_code")[outside]
        order = np.argsort(out_codes)
        codes = np.concatenate([nel_codes, out_codes[order]])
        return Lsoas(
            code=codes,
            la_code=np.concatenate([column(nel, "lad19_code"), imd_la[outside][order]]),
            msoa_code=np.concatenate([column(nel, "msoa11_code"), np.full(outside.sum(), "", dtype=object)]),
            population=np.concatenate(
                [column(nel, "pop_total_mid2015").astype(float), np.full(outside.sum(), 1500.0)]
            ),
            imd_decile=np.array([decile[c] for c in codes], dtype=np.int8),
            is_nel=np.concatenate([np.ones(len(nel_codes), bool), np.zeros(outside.sum(), bool)]),
        )

    @cached_property
    def msoa_names(self) -> dict[str, str]:
        nel = read_seed("reference/ref_nel_lsoa11.csv")
        return dict(zip(column(nel, "msoa11_code"), column(nel, "msoa11_name")))

    @cached_property
    def borough_names(self) -> dict[str, str]:
        nel = read_seed("reference/ref_nel_lsoa11.csv")
        return dict(zip(column(nel, "lad19_code"), column(nel, "lad19_name")))

    @cached_property
    def codes(self) -> pa.Table:
        return read_seed("codelists/ref_codelist_codes.csv")

    @cached_property
    def ethnicity_snomed(self) -> pa.Table:
        return read_seed("codelists/ref_ethnicity_codes.csv")

    @cached_property
    def ethnicity_legacy(self) -> pa.Table:
        return read_seed("codelists/ref_ethnicity_legacy_codes.csv")

    @cached_property
    def _code_columns(self) -> dict[str, np.ndarray]:
        table = self.codes
        return {name: column(table, name) for name in ("codelist_id", "code_scheme", "code", "term", "category")}

    def codelist(self, codelist_id: str, scheme: str | None = None) -> list[tuple[str, str, str | None]]:
        """(code, term, category) rows of one codelist, optionally one scheme, in file order."""
        return [(c, t, cat) for c, t, s, cat in self.codes_by_category(codelist_id) if scheme in (None, s)]

    def codes_by_category(self, codelist_id: str) -> list[tuple[str, str, str, str | None]]:
        """(code, term, scheme, category) rows of one codelist, in file order."""
        cols = self._code_columns
        keep = np.flatnonzero(cols["codelist_id"] == codelist_id)
        return [
            (str(cols["code"][i]), str(cols["term"][i]), str(cols["code_scheme"][i]), cols["category"][i])
            for i in keep
        ]
