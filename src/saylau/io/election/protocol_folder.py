"""The protocols/ folder of an election directory: one file per contest and round.

    protocols/<contest_id>.r<round>.csv, .csv.gz or .parquet   (layout: saylau.io.protocols.files)

A file's name gives its contest and round; the contest must be in contests.csv, and its
columns are the lines of the protocol and the entries of that contest's ballot (its
candidates, or the lists for a list ballot).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from saylau.errors import InputError
from saylau.inputs import TableOrigin
from saylau.io.election.gather import Gathered
from saylau.io.files import nfc, shown
from saylau.io.protocols.files import read_protocols
from saylau.registry.election import Election

PROTOCOL_FILE = re.compile(
    r"^(?P<contest>[^/\\\x00-\x1f\x7f-\x9f.][^/\\\x00-\x1f\x7f-\x9f]*)"
    r"\.r(?P<round>[0-9]+)\.(csv|csv\.gz|parquet)$"
)
"""A protocol file's name: <contest_id>.r<round>.csv, .csv.gz or .parquet, for any id that
contests.csv accepts."""
Progress = Callable[[int, int], None]


def read_protocol_files(
    files: list[Path],
    election: Election,
    progress: Progress | None,
    origins: dict[str, TableOrigin],
    gathered: Gathered,
) -> dict[tuple[str, int], Any]:
    """Each protocol file's table, by contest and round; the problems of each are kept in
    `gathered`. Only the registry's contests, parties, lists and candidates are used, never
    its stations."""
    tables: dict[tuple[str, int], Any] = {}

    def read(path: Path) -> None:
        key_found = protocol_file_key(path)
        if key_found is None:
            raise InputError(
                f"{shown(path)}: not a protocol file name; expected <contest_id>.r<round>.csv, "
                f".csv.gz or .parquet"
            )
        contest, round_no = key_found
        if contest not in election.contest_by_id:
            raise InputError(f"{shown(path)}: contest {shown(contest)} is not in contests.csv")
        key = (contest, round_no)
        if key in tables:
            raise InputError(f"{path}: a second file for contest {contest} round {key[1]}")
        entries = ballot_entries(election, contest)
        tables[key] = read_protocols(path, entries=entries, progress=progress)
        origins[f"protocols/{contest}.r{key[1]}"] = TableOrigin(str(path))

    for path in files:
        gathered.attempt(path, partial(read, path), None)
    return tables


def no_stations(root: Path) -> InputError:
    """The error of protocols with no station to count them at."""
    return InputError(
        f"{root / 'stations.csv'}: stations.csv has no stations, so no protocol in "
        f"{root / 'protocols'} can be counted"
    )


def protocol_file_key(path: Path) -> tuple[str, int] | None:
    """The contest and round a protocol file's name gives (in Unicode NFC, the form a
    contest id is read in), or None for another name."""
    match = PROTOCOL_FILE.match(nfc(path.name))
    return None if match is None else (match["contest"], int(match["round"]))


def ballot_entries(election: Election, contest_id: str) -> tuple[str, ...]:
    """The lines a contest's ballot may carry: its candidates, or the lists for a list ballot."""
    contest = election.contest_by_id[contest_id]
    if contest.tier == "list":
        return tuple(
            sorted({c.party_id for c in election.lists} | {p.party_id for p in election.parties})
        )
    return tuple(c.candidate_id for c in election.candidates_in(contest_id))
