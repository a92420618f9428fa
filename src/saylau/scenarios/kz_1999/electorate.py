"""Where the 1999 voters were: registered voters and turnout by territory, district and station.

Real: 8,411,757 registered and 5,253,864 who took part in the nation [Wikipedia infobox; S2].
Generated: every split below the nation, and the polling stations themselves (their number
was never published). The territorial turnout follows the reported pattern: Almaty city
about 33%, Astana about 43%, the northern oblasts about 74%; the rest fit the national total.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.registry.model import Station
from saylau.scenarios.kz_1999.tables import DistrictRow, TerritoryRow
from saylau.scenarios.split import jitter, split_total

VOTERS_PER_STATION = 1700
"""Generated: about how many voters a station serves; the real count is unknown."""
STATIONS_MIN, STATIONS_MAX = 40, 120
GAP_STATIONS = 3
"""The published 9-ballot gap of the list ballot is carried by this many stations."""


@dataclass(frozen=True)
class Electorate:
    """Stations with their voters on the list and, for round 1, the voters who took part.

    `list_gap` holds, for a few stations, list ballots issued but not found in the boxes.
    """

    stations: tuple[Station, ...]
    registered: Mapping[str, int]
    took_part: Mapping[str, int]
    list_gap: Mapping[str, int]
    by_district: Mapping[str, tuple[Station, ...]]

    def of_district(self, district_id: str) -> tuple[Station, ...]:
        return self.by_district[district_id]

    def sum_by(self, values: Mapping[str, int], level: str) -> dict[str, int]:
        """Station figures added up by `district_id` or `territory_id`."""
        found: dict[str, int] = {}
        for station in self.stations:
            key = station.district_id if level == "district" else station.territory_id
            found[key] = found.get(key, 0) + values[station.station_id]
        return found


def territory_turnout(
    rng: random.Random, territories: Sequence[TerritoryRow], registered: int, took_part: int
) -> tuple[list[int], list[int]]:
    """Registered voters and voters who took part in each territory, adding up exactly.

    A territory with a reported target turns out within a point of it; the others share
    what is left of the national total, each near the same turnout.
    """
    weights = [jitter(rng, t.weight, 30) for t in territories]
    voters = split_total(registered, weights)
    took = [0] * len(territories)
    for i, row in enumerate(territories):
        if row.turnout_target is not None:
            spread = 5 if row.kind != "oblast" else 10
            target = row.turnout_target + Fraction(rng.randint(-spread, spread), 1000)
            took[i] = voters[i] * target.numerator // target.denominator
    rest = [i for i, row in enumerate(territories) if row.turnout_target is None]
    shared = split_total(
        took_part - sum(took),
        [jitter(rng, voters[i], 40) for i in rest],
        [voters[i] for i in rest],
    )
    for i, value in zip(rest, shared, strict=True):
        took[i] = value
    return voters, took


def build_electorate(
    rng: random.Random,
    territories: Sequence[TerritoryRow],
    districts: Sequence[DistrictRow],
    registered: int,
    took_part: int,
    stations_per_district: int | None,
    list_gap: int,
) -> Electorate:
    """Split the national figures down to stations; place the list ballot's gap."""
    voters_t, took_t = territory_turnout(rng, territories, registered, took_part)
    stations: list[Station] = []
    station_voters: dict[str, int] = {}
    station_took: dict[str, int] = {}
    for t, row in enumerate(territories):
        own = [d for d in districts if d.territory_id == row.territory_id]
        voters_d = split_total(voters_t[t], [jitter(rng, 1, 120) for _ in own])
        took_d = split_total(took_t[t], [jitter(rng, v, 40) for v in voters_d], voters_d)
        for district, voters, took in zip(own, voters_d, took_d, strict=True):
            count = stations_per_district or _station_count(rng, voters)
            ids = [f"{district.district_id}-{k:03d}" for k in range(1, count + 1)]
            voters_s = split_total(voters, [rng.randint(20, 100) for _ in ids])
            took_s = split_total(took, [jitter(rng, v, 120) for v in voters_s], voters_s)
            for station_id, v, k in zip(ids, voters_s, took_s, strict=True):
                stations.append(Station(station_id, district.district_id, row.territory_id))
                station_voters[station_id] = v
                station_took[station_id] = k
    gap = _place_gap(rng, [s.station_id for s in stations], station_took, list_gap)
    by_district: dict[str, tuple[Station, ...]] = {d.district_id: () for d in districts}
    for station in stations:
        by_district[station.district_id] += (station,)
    return Electorate(tuple(stations), station_voters, station_took, gap, by_district)


def _station_count(rng: random.Random, voters: int) -> int:
    count = voters // VOTERS_PER_STATION + rng.randint(-12, 12)
    return max(STATIONS_MIN, min(STATIONS_MAX, count))


def _place_gap(
    rng: random.Random, station_ids: Sequence[str], took: Mapping[str, int], gap: int
) -> dict[str, int]:
    """Share `gap` ballots among a few stations, each keeping found ballots >= 0."""
    if gap == 0:
        return {}
    able = [s for s in station_ids if took[s] >= gap]
    chosen = sorted(rng.sample(able, min(GAP_STATIONS, gap, len(able))))
    cuts = sorted(rng.sample(range(1, gap), len(chosen) - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, gap], strict=True)]
    return dict(zip(chosen, parts, strict=True))


def second_round_took_part(
    rng: random.Random,
    electorate: Electorate,
    districts: Sequence[str],
    turnout: Fraction,
) -> dict[str, int]:
    """Voters who took part in round 2, by station, in the runoff districts.

    The runoff districts together turn out at `turnout` of their registered voters; each
    district and station keeps roughly its round-1 share.
    """
    voters_d = electorate.sum_by(electorate.registered, "district")
    took_d = electorate.sum_by(electorate.took_part, "district")
    total = sum(voters_d[d] for d in districts) * turnout.numerator // turnout.denominator
    by_district = split_total(
        total, [jitter(rng, took_d[d], 80) for d in districts], [voters_d[d] for d in districts]
    )
    found: dict[str, int] = {}
    for district, took in zip(districts, by_district, strict=True):
        found.update(station_split(rng, electorate, district, took))
    return found


def station_split(
    rng: random.Random, electorate: Electorate, district_id: str, took: int
) -> dict[str, int]:
    """A district's voters who took part, shared among its stations near round-1 turnout."""
    own = electorate.of_district(district_id)
    caps = [electorate.registered[s.station_id] for s in own]
    weights = [jitter(rng, electorate.took_part[s.station_id], 150) for s in own]
    return {s.station_id: v for s, v in zip(own, split_total(took, weights, caps), strict=True)}
