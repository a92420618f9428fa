"""St Petersburg 2021 parties: `spb2021_parties.csv` (party_id, full_name, ballot_name).

A party is named by its `full_name`; a list row's `entry_name` must be the party's
`ballot_name`; every party id the station files use must be in the file. Errors name the
file, the row (the CSV line number) and the field.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from saylau.errors import InputError
from saylau.importers.spb2021.source_csv import StationFile
from saylau.protocol.lines import RESERVED_COLUMNS
from saylau.registry.model import Party

PARTIES_FILE: Final = "spb2021_parties.csv"


@dataclass(frozen=True)
class PartyRow:
    """A party as read, with its name on the ballot and its CSV line."""

    party: Party
    ballot_name: str
    row: int


def check_list_names(city: StationFile, parties: dict[str, PartyRow]) -> None:
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


def parties_used(
    parties: dict[str, PartyRow], city: StationFile, local: StationFile
) -> tuple[Party, ...]:
    """The parties on the list ballot or nominating a candidate, in the parties file's order."""
    used = {entry.key for entry in city.ballots[""].entries}
    for entry in (e for ballot in local.ballots.values() for e in ballot.entries):
        if entry.party_id:
            _party(parties, entry.party_id, local.origin, entry.row)
            used.add(entry.party_id)
    return tuple(row.party for party_id, row in parties.items() if party_id in used)


def _party(parties: dict[str, PartyRow], party_id: str, origin: str, row: int) -> PartyRow:
    if party_id not in parties:
        raise InputError(
            f"{origin}: row {row}, field party_id: '{party_id}' is not in {PARTIES_FILE}"
        )
    return parties[party_id]


def read_parties(path: Path, origin: str | None = None) -> dict[str, PartyRow]:
    """`party_id,full_name`, optionally `ballot_name` (the name on the ballot) and others;
    `origin` names the file in errors (by default its path)."""
    origin = str(path) if origin is None else origin
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [name for name in ("party_id", "full_name") if name not in header]
            if missing:
                raise InputError(f"{origin}: row 1: missing column {', '.join(missing)}")
            reader.fieldnames = header
            found: dict[str, PartyRow] = {}
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
                found[party_id] = PartyRow(Party(party_id, name, "party"), ballot_name, line)
            return found
    except OSError as exc:
        raise InputError(f"{origin}: cannot read: {exc.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{origin}: cannot read: {exc}") from None
