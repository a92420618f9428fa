"""The registry's side of a tabulation, which no protocol changes: which stations are expected
to report, in which districts, and each district's territory. Made once per contest and
round, before (or while) the protocols' stations are looked up (saylau.tabulate.batch)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from saylau.errors import InputError
from saylau.protocol.columns import combined, station_id_array
from saylau.protocol.lines import STATION
from saylau.tabulate.totals import DistrictId, TerritoryId

REGISTRY_COLUMNS = (STATION, "district_id", "territory_id")


@dataclass(frozen=True)
class Area:
    """The registry's side of a tabulation, which no protocol changes: the district of every
    registry station (dictionary codes), the registry positions of the stations expected to
    report with their districts, how many each district expects, and each district's one
    territory."""

    districts: pa.DictionaryArray
    expected_at: pa.Array
    expected_district: pa.Array
    expected_count: dict[int, int]
    territory_of: dict[DistrictId, TerritoryId]


def area_of(stations: pa.Table, expected: Collection[str] | pa.Array) -> Area:
    """The `Area` of a tabulation of `stations` (the registry) where `expected` report, made
    before the protocols' stations are looked up (as `tabulate` takes it); raises InputError
    as `tabulate` would."""
    registry_columns_checked(stations)
    return area_at(stations, stations.column(STATION).combine_chunks(), expected, None)


def registry_columns_checked(stations: pa.Table) -> None:
    """The registry of stations has every column a tabulation reads, or InputError names
    the first one missing."""
    for name in REGISTRY_COLUMNS:
        if name not in stations.column_names:
            raise InputError(f"the registry of stations has no column {name}")


def area_at(
    stations: pa.Table,
    registry: pa.Array,
    expected: Collection[str] | pa.Array | None,
    row_at: pa.Array | None,
) -> Area:
    """The `Area` of the registry `stations` (`registry`, its ids), given the stations
    `expected` to report, or, with None, those of each district where `row_at` (the rows'
    registry positions) names any."""
    districts = pc.dictionary_encode(stations.column("district_id").combine_chunks())
    territories = pc.dictionary_encode(stations.column("territory_id").combine_chunks())
    expected_at = _expected_positions(expected, registry, districts.indices, row_at)
    expected_district = districts.indices.take(expected_at)
    territory_of = _territory_of(
        expected_district, territories.indices.take(expected_at), districts, territories
    )
    return Area(
        districts, expected_at, expected_district, code_counts(expected_district), territory_of
    )


def _expected_positions(
    expected: Collection[str] | pa.Array | None,
    registry: pa.Array,
    district_codes: pa.Array,
    row_at: pa.Array | None,
) -> pa.Array:
    """The registry positions of the stations expected to report, each once (`row_at`, the
    rows' positions, is needed only where `expected` is None)."""
    if expected is None:
        assert row_at is not None
        present = pc.unique(district_codes.take(row_at.drop_null()))
        return pc.indices_nonzero(pc.is_in(district_codes, value_set=present)).cast(pa.int64())
    ids = combined(station_id_array(expected))
    if len(ids) == len(registry) and pc.all(pc.equal(ids, registry)).as_py():
        return pc.indices_nonzero(pa.repeat(True, len(registry))).cast(pa.int64())
    positions = combined(pc.index_in(ids, value_set=registry))
    if positions.null_count:
        unknown = ids.filter(pc.is_null(positions))[0].as_py()
        raise InputError(f"expected station {unknown} is not in the registry of stations")
    return pc.unique(positions).cast(pa.int64())


def _territory_of(
    district_codes: pa.Array,
    territory_codes: pa.Array,
    districts: pa.DictionaryArray,
    territories: pa.DictionaryArray,
) -> dict[DistrictId, TerritoryId]:
    """Each district's one territory, from the registry rows of the expected stations."""
    width = max(len(territories.dictionary), 1)
    pairs = pc.add(
        pc.multiply(pc.cast(district_codes, pa.int64()), width),
        pc.cast(territory_codes, pa.int64()),
    )  # one code per (district, territory): each pair once, in the order of first sight
    found: dict[DistrictId, TerritoryId] = {}
    for pair in pc.unique(pairs).to_pylist():
        code, territory_code = divmod(pair, width)
        district = districts.dictionary[code].as_py()
        territory = territories.dictionary[territory_code].as_py()
        if district in found:
            raise InputError(
                f"registry: district {district} lies in territories "
                f"{min(found[district], territory)} and {max(found[district], territory)}"
            )
        found[district] = territory
    return found


def code_counts(codes: pa.Array) -> dict[int, int]:
    """How many times each code occurs, in the order of first occurrence."""
    counts = pc.value_counts(codes)
    values: list[int] = counts.field("values").to_pylist()
    numbers: list[int] = counts.field("counts").to_pylist()
    return dict(zip(values, numbers, strict=True))
