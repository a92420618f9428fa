"""St Petersburg 2021 from its real station files, as run inputs: one layout, two elections.

The files (shipped in this package's `data/`, whose SOURCES.md names their origin; or
read from a folder given in their place, saylau.importers.spb2021.files) hold both
elections of 17-19 September 2021 in one layout. `read_spb2021` reads the city election
(ZakS): `spb2021_zaks_list_by_uik.csv.gz`, `spb2021_zaks_smd_by_uik.csv.gz` and
`spb2021_parties.csv` into one chamber `zaks` under the law `spb-2021-zaks`, with the city
list contest `zaks-list` and the districts `zaks-01`..`zaks-25`. `read_spb_files` reads
any `SpbElection` so described, such as the city's part of the State Duma election
(saylau.importers.spb2021.duma). Each contest gets a protocol table (saylau.protocol.lines)
for round 1.

What the files do not say, and how it is filled in (each also a note in the inputs):
- `took_part` (ballots issued) is not in the files. The Russian protocol balances
  received = issued + cancelled + lost - not counted on receipt, so
  took_part = ballots_received - ballots_cancelled - lost + not_counted. The data confirm
  the sign of `not_counted`: so added, no protocol that records one has more ballots
  found than issued; subtracted, 9 of those 14 ZakS list and 4 of those 11 district
  protocols would (station 2325 of the list ballot: 3,000 received, 2,165 cancelled,
  215 not counted, 1,049 found: 1,050 issued, not 620), and 6 of 12 and 4 of 9 of the
  Duma's. `not_counted` is carried as the
  optional line `ballots_unaccounted`, so the balance is checked as the form states it.
- `ballots_found` = ballots_stationary + ballots_portable; `ballots_lost` = lost; the
  ballot has no against-all line, so that column is left out. The file's `valid` is the
  form's line `valid`, as published: the law's relation `valid_balance` checks it against
  the votes, so a station whose entries sum to another number is the law's to report.
- Territories are the territorial commissions (`tik`), named with their raion. A
  district's territory is the commission with most of its stations (the lower number on a
  tie): districts do not nest in the commissions (a ZakS district spans 2 to 6, and two
  commissions span two Duma districts). For a tabulation
  that needs them to nest, `territories="city"` makes the whole city one territory.
- A station with a list protocol but no district protocol (station 2208 of the ZakS files)
  is placed in the one district its commission's other stations lie in, with a conflict
  note; its district protocol stays missing. A station with a district protocol but no
  list protocol (stations 2151 and 2431 of the Duma files) gets a conflict note; its list
  protocol stays missing.
- Parties are those of `spb2021_parties.csv` that stand on the list ballot or nominate a
  candidate, named by `full_name`; their registration order is not in the files. A list
  row's `entry_name` must be the party's `ballot_name`.
The figures a run is compared with, each with its source and kind, are data files of the
package (saylau.importers.spb2021.published). Nothing is generated and no published count is
changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

import pyarrow as pa

from saylau.errors import InputError
from saylau.importers.spb2021.files import folder
from saylau.importers.spb2021.parties import (
    PARTIES_FILE,
    PartyRow,
    check_list_names,
    parties_used,
    read_parties,
)
from saylau.importers.spb2021.published import read_published
from saylau.importers.spb2021.source_csv import Level, StationFile, read_station_file
from saylau.importers.spb2021.tables import (
    Placement,
    not_counted_stations,
    place_stations,
    protocol_table,
)
from saylau.inputs import ElectionInputs, Note, Published
from saylau.registry.election import Chamber, Election
from saylau.registry.model import SELF, Candidate, Contest, District, Station, Territory
from saylau.registry.stations import station_table

ROUND: Final = 1
DATES: Final = {"voting_from": "2021-09-17", "voting_to": "2021-09-19"}


@dataclass(frozen=True)
class SpbElection:
    """One election in the St Petersburg layout: its files, its chamber, law and sources.

    `level` is the files' `election` column. Contests are `<chamber>-list` and
    `<chamber>-<district>`. `notes` holds what a reader must know beyond the derivations
    every such import shares; the figures a run is checked against are those of
    `election_id` in the package's data files (saylau.importers.spb2021.published).
    """

    election_id: str
    name: str
    level: Level
    list_file: str
    district_file: str
    chamber: str
    chamber_name: str
    law: str
    source: str
    notes: tuple[Note, ...] = field(default=())

    @property
    def list_contest(self) -> str:
        """The contest of the list ballot."""
        return f"{self.chamber}-list"


LIST_FILE: Final = "spb2021_zaks_list_by_uik.csv.gz"
DISTRICT_FILE: Final = "spb2021_zaks_smd_by_uik.csv.gz"

ELECTION: Final = "spb-2021"
CHAMBER: Final = "zaks"
LAW: Final = "spb-2021-zaks"
LIST_CONTEST: Final = "zaks-list"

SOURCE: Final = (
    "Station results of the St Petersburg Legislative Assembly (ZakS) election of "
    "17-19 September 2021, from github.com/vkryl/spbik-2021 @ 08c81bb6 "
    "(data/st-petersburg/results_by_uik/<uik>/city/parties.json and person_<district>.json, "
    "scraped from the site of the St Petersburg city election commission; party names from "
    "data/st-petersburg/parties/*.json), which may be used without conditions (a link back "
    "is asked for). Copied as spb2021_zaks_list_by_uik.csv.gz, spb2021_zaks_smd_by_uik.csv.gz "
    "and spb2021_parties.csv, shipped in saylau/importers/spb2021/data; see its SOURCES.md."
)

ZAKS: Final = SpbElection(
    election_id=ELECTION,
    name="Election of the Legislative Assembly of St Petersburg, 2021",
    level="city",
    list_file=LIST_FILE,
    district_file=DISTRICT_FILE,
    chamber=CHAMBER,
    chamber_name="Legislative Assembly of St Petersburg",
    law=LAW,
    source=SOURCE,
)
"""The city election: 25 list seats and districts 1-25."""

Progress = Callable[[int, int], None]
"""Told (bytes done, bytes in all) of the compressed station files as they are read."""

Areas = Literal["tik", "city"]
"""What a territory is: a territorial commission (the default), or the whole city."""

CITY: Final = Territory("spb", "St Petersburg", "city")


def read_spb2021(
    data_dir: Path | None = None, *, progress: Progress | None = None, territories: Areas = "tik"
) -> ElectionInputs:
    """Read the ZakS 2021 files in `data_dir` (None: the copy shipped with Saylau) into the
    values of a run (see the module doc).

    `progress` is told (bytes done, bytes in all) as the station files are read.
    `territories="city"` puts every station and district in one territory, St Petersburg,
    for a tabulation that needs districts to nest in territories; the commissions are
    then not in the registry.
    """
    return read_spb_files(ZAKS, data_dir, progress=progress, territories=territories)


def read_spb_files(
    spb: SpbElection,
    data_dir: Path | None = None,
    *,
    progress: Progress | None = None,
    territories: Areas = "tik",
) -> ElectionInputs:
    """Read the files of `spb` in `data_dir` (None: the shipped copy) into the values of a
    run, as `read_spb2021` does."""
    files = folder(data_dir)
    (list_path, list_name), (district_path, district_name) = (
        files.file(spb.list_file),
        files.file(spb.district_file),
    )
    sizes = [_size(list_path, list_name), _size(district_path, district_name)]
    total = sum(sizes)

    def tick(before: int) -> Callable[[int], None]:
        def report(done: int) -> None:
            if progress is not None:
                progress(min(before + done, total), total)

        return report

    parties = read_parties(*files.file(PARTIES_FILE))
    city = read_station_file(
        list_path,
        level=spb.level,
        tier="list",
        entry_key="party_id",
        tick=tick(0),
        origin=list_name,
    )
    local = read_station_file(
        district_path,
        level=spb.level,
        tier="smd",
        entry_key="entry_position",
        tick=tick(sizes[0]),
        origin=district_name,
    )
    if progress is not None:
        progress(total, total)
    return _inputs(spb, parties, city, local, territories)


def _inputs(
    spb: SpbElection,
    parties: dict[str, PartyRow],
    city: StationFile,
    local: StationFile,
    areas: Areas,
) -> ElectionInputs:
    placement = place_stations(city, local)
    notes = [Note("source", spb.source), *_derivation_notes(city, local), *spb.notes]
    notes += placement.notes
    check_list_names(city, parties)
    ballot = city.ballots[""]
    party_columns = [(entry.key, entry.key) for entry in ballot.entries]
    protocols: dict[tuple[str, int], pa.Table] = {
        (spb.list_contest, ROUND): protocol_table(ballot, party_columns)
    }
    contests = [Contest(spb.list_contest, spb.chamber, "list")]
    candidates: list[Candidate] = []
    districts: list[District] = []
    territory_of = _territories(placement) if areas == "tik" else {}
    for smd, ballot in local.ballots.items():
        district_id = _district_id(smd)
        contest_id = f"{spb.chamber}-{district_id}"
        districts.append(
            District(district_id, f"District {smd}", territory_of.get(smd, CITY.territory_id))
        )
        contests.append(Contest(contest_id, spb.chamber, "district", district_id=district_id))
        ids = [(entry.key, f"{contest_id}-{entry.position}") for entry in ballot.entries]
        candidates += [
            Candidate(candidate_id, contest_id, entry.name, entry.party_id or SELF)
            for (_, candidate_id), entry in zip(ids, ballot.entries, strict=True)
        ]
        protocols[(contest_id, ROUND)] = protocol_table(ballot, ids)
    notes.append(_territory_note(areas, placement))
    election = Election(
        election_id=spb.election_id,
        name=spb.name,
        chambers=(Chamber(spb.chamber, spb.chamber_name, spb.law),),
        parties=parties_used(parties, city, local),
        territories=_areas(placement, areas),
        districts=tuple(districts),
        stations=station_table(
            Station(
                uik,
                _district_id(placement.district_of[uik]),
                placement.tik_of[uik] if areas == "tik" else CITY.territory_id,
            )
            for uik in sorted(placement.tik_of, key=int)
        ),
        contests=tuple(contests),
        candidates=tuple(candidates),
        dates=dict(DATES),
    )
    published = read_published(spb.election_id)
    return ElectionInputs(
        election=election,
        protocols=protocols,
        published=Published(
            dict(published.figures), dict(published.sources), kinds=dict(published.kinds)
        ),
        notes=tuple(notes),
        generated=frozenset(),
    )


def _district_id(smd: str) -> str:
    """District 7 is `07`, so that `zaks-07` sorts with its neighbours."""
    return f"{int(smd):02d}"


def _territories(placement: Placement) -> dict[str, str]:
    """Each district's commission: the one with most of its stations, the lower number on a tie."""
    counts: dict[str, Counter[str]] = {}
    for uik, smd in placement.district_of.items():
        counts.setdefault(smd, Counter())[placement.tik_of[uik]] += 1
    return {smd: min(tiks, key=lambda tik: (-tiks[tik], int(tik))) for smd, tiks in counts.items()}


def _areas(placement: Placement, areas: Areas) -> tuple[Territory, ...]:
    if areas == "city":
        return (CITY,)
    return tuple(
        Territory(tik, f"TIK {tik} ({raion})", "area")
        for tik, raion in sorted(placement.raion_of.items(), key=lambda t: int(t[0]))
    )


def _territory_note(areas: Areas, placement: Placement) -> Note:
    counts: dict[str, set[str]] = {}
    for uik, smd in placement.district_of.items():
        counts.setdefault(smd, set()).add(placement.tik_of[uik])
    spans = [len(tiks) for tiks in counts.values()] or [0]
    each = f"each spans {min(spans)} to {max(spans)}"
    if areas == "city":
        return Note(
            "assumption",
            "One territory, St Petersburg: the districts cross the territorial commissions "
            f"({each} of them), so the commissions are left out of the registry.",
        )
    return Note(
        "assumption",
        "Territories are the territorial commissions (tik) of St Petersburg, each station in "
        f"its own. Districts do not nest in them ({each}): a district's territory "
        "is the commission that holds most of its stations, the lower number on a tie.",
    )


def _derivation_notes(city: StationFile, local: StationFile) -> list[Note]:
    in_list, in_districts = not_counted_stations(city), not_counted_stations(local)
    return [
        Note(
            "source",
            "Ballots issued (took_part) are not in the files. They are derived from the "
            "Russian protocol's balance, received = issued + cancelled + lost - not counted "
            "on receipt, as took_part = ballots_received - ballots_cancelled - lost + "
            "not_counted; the data confirm the sign of not_counted. ballots_found = "
            "ballots_stationary + ballots_portable; ballots_lost = lost; valid is the "
            "form's own line, as published, which the law checks against the votes; the "
            "ballot has no against-all line.",
        ),
        Note(
            "source",
            "Ballots not counted on receipt (not_counted) are the line ballots_unaccounted: "
            f"{len(in_list)} list protocols (stations {', '.join(in_list)}) and "
            f"{len(in_districts)} district protocols (stations {', '.join(in_districts)}) "
            "record some.",
        ),
    ]


def _size(path: Path, shown: str) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise InputError(f"{shown}: cannot read: {exc.strerror}") from None
