"""Check one protocol file as a run would: against its law's form and its contest's stations.

A file in an election directory (`<dir>/protocols/<contest_id>.r<round>.csv`) is checked
against the law of its contest's chamber, the ballot's entries and the stations that report
the contest, exactly as `saylau run` checks it. A file anywhere else needs its law named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from saylau.errors import InputError
from saylau.io.election.protocol_folder import ballot_entries, no_stations, protocol_file_key
from saylau.io.election.read import law_path, read_registry
from saylau.io.protocols.files import read_protocols
from saylau.law.form import ProtocolForm
from saylau.law.loader import load_law
from saylau.law.schema import Law
from saylau.protocol.lines import ContestId
from saylau.protocol.table import TableCheck, check_table

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FileCheck:
    """A protocol file's checks, with the law, contest and round it was checked as."""

    path: Path
    law: Law
    contest_id: str
    round: int
    check: TableCheck
    registry: bool
    """Whether the stations and entries were checked against an election's registry."""

    @property
    def table(self) -> pa.Table:
        return self.check.table


def election_root(path: Path) -> Path | None:
    """The election directory a protocol file lies in, if it lies in one's `protocols/`."""
    folder = path.resolve().parent
    if folder.name == "protocols" and (folder.parent / "election.toml").is_file():
        return folder.parent
    return None


def check_protocol_file(
    path: Path,
    *,
    law: str | None = None,
    contest: str | None = None,
    round: int | None = None,
    progress: Progress | None = None,
) -> FileCheck:
    """Read and check one protocol file; `law`, `contest` and `round` override what the
    file's place and name say."""
    key = protocol_file_key(path)
    root = election_root(path)
    contest_id = contest or (key[0] if key else None)
    round_no = round or (key[1] if key else None)
    if contest_id is None or round_no is None:
        raise InputError(
            f"{path}: the name does not say the contest and round (<contest_id>.r<round>.csv); "
            f"give --contest and --round"
        )
    if root is None:
        if law is None:
            raise InputError(
                f"{path}: not in an election directory's protocols/ folder; name the law whose "
                f"protocol form it follows with --law"
            )
        form_law = load_law(law)
        table = read_protocols(path, progress=progress)
        checked = check_table(table, ContestId(contest_id), round_no, form=_form(form_law))
        return FileCheck(path, form_law, contest_id, round_no, checked, registry=False)
    _, election = read_registry(root)
    if election.stations.num_rows == 0:
        raise no_stations(root)
    found = election.contest_by_id.get(contest_id)
    if found is None:
        raise InputError(f"{path}: contest {contest_id} is not in {root / 'contests.csv'}")
    chamber = {c.chamber_id: c for c in election.chambers}.get(found.chamber)
    if chamber is None and law is None:
        raise InputError(f"{path}: contest {contest_id} belongs to no chamber of election.toml")
    name = law or (chamber.law if chamber is not None else "")
    form_law = load_law(law if law is not None else law_path(root, name))
    table = read_protocols(path, entries=ballot_entries(election, contest_id), progress=progress)
    stations = election.stations_table_for(found).column("station_id").combine_chunks()
    checked = check_table(table, ContestId(contest_id), round_no, stations, form=_form(form_law))
    return FileCheck(path, form_law, contest_id, round_no, checked, registry=True)


def _form(law: Law) -> ProtocolForm:
    if law.protocol is None:
        raise InputError(f"law {law.id} names no protocol form ([protocol] section)")
    return law.protocol
