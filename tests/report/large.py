"""A large synthetic election for the edges: 100,000 stations under the 1999 Majilis law.

One national list ballot (9 lists, against all) and 67 single-member districts of 2-3
candidates each, in 16 territories; every protocol keeps the 1999 form's relations (so
none is rejected), and in every district the first candidate has a majority of those who
took part, so each is decided in round 1. Seeded, built with numpy, columnar.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa

from saylau.inputs import ElectionInputs
from saylau.registry.election import Chamber, Election
from saylau.registry.model import (
    Candidate,
    Contest,
    District,
    ListCandidate,
    Party,
    Station,
    Territory,
)
from saylau.registry.stations import station_table

STATIONS = 100_000
DISTRICTS = 67
TERRITORIES = 16
LISTS = ("a", "b", "c", "d", "e", "f", "g", "h", "i")


def _form(
    rng: np.random.Generator, registered: np.ndarray[Any, Any], took_part: Any
) -> dict[str, Any]:
    """The lines every protocol shares: ballots received, issued, cancelled, found."""
    received = registered + rng.integers(0, 40, len(registered))
    return {
        "registered": registered,
        "ballots_received": received,
        "took_part": took_part,
        "ballots_cancelled": received - took_part,
        "ballots_lost": np.zeros(len(registered), dtype=np.int64),
        "ballots_found": took_part,
    }


def _table(ids: np.ndarray[Any, Any], columns: dict[str, Any]) -> pa.Table:
    arrow = {"station_id": pa.array(ids, pa.string())}
    arrow.update(
        {k: pa.array(np.asarray(v, dtype=np.int64), pa.int64()) for k, v in columns.items()}
    )
    return pa.table(arrow)


@cache
def large_election(stations: int = STATIONS, seed: int = 1999) -> ElectionInputs:
    """The election's inputs: registry and protocols, the same for the same seed."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"s{i:06d}" for i in range(stations)], dtype=object)
    district_of = np.sort(rng.integers(0, DISTRICTS, stations))
    territory_of_district = [d * TERRITORIES // DISTRICTS for d in range(DISTRICTS)]
    registered = rng.integers(200, 2500, stations)
    took_part = rng.binomial(registered, 0.6)
    invalid = rng.binomial(took_part, 0.03)
    shares = rng.dirichlet(np.ones(len(LISTS) + 1) * 2.0)
    votes = rng.multinomial(took_part - invalid, shares)
    columns = _form(rng, registered, took_part)
    columns |= {"invalid": invalid, "against_all": votes[:, -1]}
    columns |= {party: votes[:, i] for i, party in enumerate(LISTS)}
    protocols = {("house-list", 1): _table(ids, columns)}
    candidates: list[Candidate] = []
    contests = [Contest("house-list", "house", "list")]
    for d in range(DISTRICTS):
        rows = np.flatnonzero(district_of == d)
        contest = f"house-{d:02d}"
        people = [f"{contest}-c{k}" for k in range(1, 2 + int(rng.integers(1, 3)))]
        t = took_part[rows]
        spoiled = rng.binomial(t, 0.03)
        first = t // 2 + 1 + (t - t // 2 - 1 - spoiled) // 4  # a majority of those who took part
        others = t - spoiled - first
        split = [others // (len(people) - 1)] * (len(people) - 1)
        split[-1] = others - sum(split[:-1])
        district = _form(rng, registered[rows], t)
        district |= {"invalid": spoiled, "against_all": np.zeros(len(rows), dtype=np.int64)}
        district |= {people[0]: first, **dict(zip(people[1:], split, strict=True))}
        protocols[(contest, 1)] = _table(ids[rows], district)
        contests.append(
            Contest(contest, "house", "district", f"d{d:02d}", f"t{territory_of_district[d]:02d}")
        )
        nominators = [LISTS[(d + k) % len(LISTS)] for k in range(len(people))]
        candidates += [
            Candidate(p, contest, f"Candidate {p}", n)
            for p, n in zip(people, nominators, strict=True)
        ]
    election = Election(
        "large",
        "A large synthetic election (100,000 stations)",
        (Chamber("house", "House", "kz-1999-majilis"),),
        parties=tuple(
            Party(p, f"List {p.upper()}", registration_order=i) for i, p in enumerate(LISTS)
        ),
        lists=tuple(ListCandidate(p, r, f"{p} {r}") for p in LISTS for r in range(1, 11)),
        territories=tuple(Territory(f"t{t:02d}", f"Territory {t}") for t in range(TERRITORIES)),
        districts=tuple(
            District(f"d{d:02d}", f"District {d}", f"t{territory_of_district[d]:02d}")
            for d in range(DISTRICTS)
        ),
        stations=station_table(
            Station(str(s), f"d{d:02d}", f"t{territory_of_district[d]:02d}")
            for s, d in zip(ids, district_of, strict=True)
        ),
        contests=tuple(contests),
        candidates=tuple(candidates),
        dates={"round1": "2001-01-01"},
    )
    return ElectionInputs(election, protocols)
