"""The St Petersburg 2021 city election (ZakS) from its real station files, as run inputs.

Reads `spb2021_zaks_list_by_uik.csv.gz`, `spb2021_zaks_smd_by_uik.csv.gz` and
`spb2021_parties.csv` (data/real/SOURCES.md) into one chamber `zaks` under the law
`spb-2021-zaks`: the city list contest `zaks-list` and the districts `zaks-01`..`zaks-25`,
each with a protocol table (saylau.protocol.lines) for round 1.

What the files do not say, and how it is filled in (each also a note in the inputs):
- `took_part` (ballots issued) is not in the files. The Russian protocol balances
  received = issued + cancelled + lost - not counted on receipt, so
  took_part = ballots_received - ballots_cancelled - lost + not_counted. The data confirm
  the sign of `not_counted`: subtracted instead, it would leave fewer ballots issued than
  found in the boxes at the stations that record the most (station 2325 of the list
  ballot: 3,000 received, 2,165 cancelled, 215 not counted, 1,049 found). Saylau's lines
  have no "not counted" line, so received = took_part + cancelled + lost fails by exactly
  not_counted at those stations; their published counts are left as they are.
- `ballots_found` = ballots_stationary + ballots_portable; `ballots_lost` = lost; the
  ballot has no against-all line, so that column is left out. The file's `valid` is not a
  column: valid is the sum of the entries, and a station whose sum differs gets a note.
- Territories are the territorial commissions (`tik`), named with their raion. A
  district's territory is the commission with most of its stations (the lower number on a
  tie): districts do not nest in the commissions.
- A station with a list protocol but no district protocol (station 2208 in 2021) is placed
  in the one district its commission's other stations lie in, with a conflict note; its
  district protocol stays missing.
- Parties are those of `spb2021_parties.csv` that stand on the list ballot or nominate a
  candidate, named by `full_name`; their registration order is not in the files. A list
  row's `entry_name` must be the party's `ballot_name`.
Nothing is generated and no published count is changed.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyarrow as pa

from saylau.errors import InputError
from saylau.io.spb2021_csv import StationFile, read_station_file
from saylau.io.spb2021_tables import Placement, not_counted_stations, place_stations, protocol_table
from saylau.protocol.lines import RESERVED_COLUMNS
from saylau.registry.election import Chamber, Election
from saylau.registry.model import SELF, Candidate, Contest, District, Party, Station, Territory
from saylau.stages.inputs import ElectionInputs, Note, Published

LIST_FILE: Final = "spb2021_zaks_list_by_uik.csv.gz"
DISTRICT_FILE: Final = "spb2021_zaks_smd_by_uik.csv.gz"
PARTIES_FILE: Final = "spb2021_parties.csv"

ELECTION: Final = "spb-2021"
CHAMBER: Final = "zaks"
LAW: Final = "spb-2021-zaks"
LIST_CONTEST: Final = "zaks-list"
ROUND: Final = 1

STATION_FILES: Final = "spb2021 station files"
PUBLISHED_FIGURES: Final = {
    "stations_list": 1_976,
    "registered_list": 3_882_917,
    "valid_list": 1_333_177,
    "invalid_list": 39_229,
    "stations_district": 1_975,
}
"""City totals of the station files, measured once: sums of station rows, not an official
summary. The list ballot's valid votes equal the sum of its party votes."""

SOURCE: Final = (
    "Station results of the St Petersburg Legislative Assembly (ZakS) election of "
    "17-19 September 2021, from github.com/vkryl/spbik-2021 @ 08c81bb6 "
    "(data/st-petersburg/results_by_uik/<uik>/city/parties.json and person_<district>.json, "
    "scraped from the site of the St Petersburg city election commission; party names from "
    "data/st-petersburg/parties/*.json), which may be used without conditions (a link back "
    "is asked for). Copied as data/real/spb2021_zaks_list_by_uik.csv.gz, "
    "spb2021_zaks_smd_by_uik.csv.gz and spb2021_parties.csv; see data/real/SOURCES.md."
)

Progress = Callable[[int, int], None]
"""Told (bytes done, bytes in all) of the compressed station files as they are read."""


@dataclass(frozen=True)
class _PartyRow:
    party: Party
    ballot_name: str
    row: int


def read_spb2021(data_dir: Path, *, progress: Progress | None = None) -> ElectionInputs:
    """Read the ZakS 2021 files in `data_dir` into the values of a run (see the module doc)."""
    paths = (data_dir / LIST_FILE, data_dir / DISTRICT_FILE)
    sizes = [_size(path) for path in paths]
    total = sum(sizes)

    def tick(before: int) -> Callable[[int], None]:
        def report(done: int) -> None:
            if progress is not None:
                progress(min(before + done, total), total)

        return report

    parties = _read_parties(data_dir / PARTIES_FILE)
    city = read_station_file(paths[0], tier="list", entry_key="party_id", tick=tick(0))
    local = read_station_file(paths[1], tier="smd", entry_key="entry_position", tick=tick(sizes[0]))
    if progress is not None:
        progress(total, total)
    return _inputs(parties, city, local)


def _inputs(parties: dict[str, _PartyRow], city: StationFile, local: StationFile) -> ElectionInputs:
    placement = place_stations(city, local)
    notes = [Note("source", SOURCE), *_derivation_notes(city, local), *placement.notes]
    _check_list_names(city, parties)
    ballot = city.ballots[""]
    party_columns = [(entry.key, entry.key) for entry in ballot.entries]
    table, table_notes = protocol_table(ballot, party_columns, city.origin, "list")
    protocols: dict[tuple[str, int], pa.Table] = {(LIST_CONTEST, ROUND): table}
    notes += table_notes
    contests = [Contest(LIST_CONTEST, CHAMBER, "list")]
    candidates: list[Candidate] = []
    districts: list[District] = []
    territory_of = _territories(placement)
    for smd, ballot in local.ballots.items():
        district_id = _district_id(smd)
        contest_id = f"{CHAMBER}-{district_id}"
        districts.append(District(district_id, f"District {smd}", territory_of[smd]))
        contests.append(Contest(contest_id, CHAMBER, "district", district_id=district_id))
        ids = [(entry.key, f"{contest_id}-{entry.position}") for entry in ballot.entries]
        candidates += [
            Candidate(candidate_id, contest_id, entry.name, entry.party_id or SELF)
            for (_, candidate_id), entry in zip(ids, ballot.entries, strict=True)
        ]
        table, table_notes = protocol_table(ballot, ids, local.origin, f"district {smd}")
        protocols[(contest_id, ROUND)] = table
        notes += table_notes
    notes.append(_nesting_note(len(districts)))
    election = Election(
        election_id=ELECTION,
        name="Election of the Legislative Assembly of St Petersburg, 2021",
        chambers=(Chamber(CHAMBER, "Legislative Assembly of St Petersburg", LAW),),
        parties=_parties_used(parties, city, local),
        territories=tuple(
            Territory(tik, f"TIK {tik} ({raion})", "area")
            for tik, raion in sorted(placement.raion_of.items(), key=lambda t: int(t[0]))
        ),
        districts=tuple(districts),
        stations=tuple(
            Station(uik, _district_id(placement.district_of[uik]), placement.tik_of[uik])
            for uik in sorted(placement.tik_of, key=int)
        ),
        contests=tuple(contests),
        candidates=tuple(candidates),
        dates={"voting_from": "2021-09-17", "voting_to": "2021-09-19"},
    )
    return ElectionInputs(
        election=election,
        protocols=protocols,
        published=Published(
            dict(PUBLISHED_FIGURES), dict.fromkeys(PUBLISHED_FIGURES, STATION_FILES)
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


def _nesting_note(districts: int) -> Note:
    return Note(
        "assumption",
        "Territories are the territorial commissions (tik) of St Petersburg. Districts do "
        "not nest in them: a district's territory is the commission that holds most of its "
        "stations, the lower number on a tie; each station keeps its own commission. "
        f"{districts} districts.",
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
            "ballots_stationary + ballots_portable; ballots_lost = lost; the ballot has no "
            "against-all line.",
        ),
        Note(
            "conflict",
            "Saylau's protocol lines have no 'not counted on receipt' line, so received = "
            "took_part + cancelled + lost fails by exactly not_counted where it is not zero: "
            f"{len(in_list)} list protocols (stations {', '.join(in_list)}) and "
            f"{len(in_districts)} district protocols (stations {', '.join(in_districts)}). "
            "Their published counts are kept.",
        ),
    ]


def _check_list_names(city: StationFile, parties: dict[str, _PartyRow]) -> None:
    """Each list entry must name, as on the ballot, the party its `party_id` says."""
    for entry in city.ballots[""].entries:
        party_id = entry.key
        if party_id in RESERVED_COLUMNS:
            raise InputError(
                f"{city.origin}: row {entry.row}, field party_id: '{party_id}' is the name of "
                f"a protocol line, not of a party"
            )
        known = _party(parties, party_id, city.origin, entry.row)
        if known.ballot_name and known.ballot_name != entry.name:
            raise InputError(
                f"{city.origin}: row {entry.row}, field entry_name: '{entry.name}', but "
                f"row {known.row} of {PARTIES_FILE} names party {party_id} "
                f"'{known.ballot_name}' on the ballot"
            )


def _parties_used(
    parties: dict[str, _PartyRow], city: StationFile, local: StationFile
) -> tuple[Party, ...]:
    """The parties on the list ballot or nominating a candidate, in the parties file's order."""
    used = {entry.key for entry in city.ballots[""].entries}
    for entry in (e for ballot in local.ballots.values() for e in ballot.entries):
        if entry.party_id:
            _party(parties, entry.party_id, local.origin, entry.row)
            used.add(entry.party_id)
    return tuple(row.party for party_id, row in parties.items() if party_id in used)


def _party(parties: dict[str, _PartyRow], party_id: str, origin: str, row: int) -> _PartyRow:
    if party_id not in parties:
        raise InputError(
            f"{origin}: row {row}, field party_id: '{party_id}' is not in {PARTIES_FILE}"
        )
    return parties[party_id]


def _read_parties(path: Path) -> dict[str, _PartyRow]:
    """`party_id,full_name`, optionally `ballot_name` (the name on the ballot) and others."""
    origin = str(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [name for name in ("party_id", "full_name") if name not in header]
            if missing:
                raise InputError(f"{origin}: row 1: missing column {', '.join(missing)}")
            reader.fieldnames = header
            found: dict[str, _PartyRow] = {}
            for row in reader:
                line = reader.line_num
                if None in row or any(value is None for value in row.values()):
                    raise InputError(f"{origin}: row {line}: expected {len(header)} fields")
                party_id = row["party_id"].strip()
                if not party_id:
                    raise InputError(f"{origin}: row {line}, field party_id: empty")
                if party_id in found:
                    raise InputError(
                        f"{origin}: row {line}, field party_id: '{party_id}' already appears "
                        f"on row {found[party_id].row}"
                    )
                name = row["full_name"].strip() or party_id
                ballot_name = (row.get("ballot_name") or "").strip()
                found[party_id] = _PartyRow(Party(party_id, name, "party"), ballot_name, line)
            return found
    except OSError as exc:
        raise InputError(f"{origin}: cannot read: {exc.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{origin}: cannot read: {exc}") from None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
