"""An election directory: the files `saylau run PATH` reads, and `--out` writes.

    election.toml       id, name, seed, [dates], [[chambers]] (chamber_id, name, law, and
                        applied_law where a recorded run replayed it under another law),
                        generated = [...], [published] turnout_before, [published.figures]
                        ("<chamber>.<figure>" = n, compared with the run) and
                        [published.sources]
    parties.csv         party_id, name, kind, registration_order, colour, seats_before, members
    lists.csv           party_id, rank, name
    territories.csv     territory_id, name, kind, utc_offset (+HH:MM)
    districts.csv       district_id, name, territory_id
    stations.csv        station_id, district_id, territory_id
    contests.csv        contest_id, chamber, tier, district_id, territory_id, replaces
    candidates.csv      candidate_id, contest_id, name, nominator, member
    protocols/<contest_id>.r<round>.csv or .parquet   (layout: saylau.io.protocols.files)
    college.csv         contest_id, round, electors, present, took_part, candidate_id, votes
    invalidations.csv   contest_id, round, new_contest_id, reason
    withdrawals.csv     contest_id, candidate_id, reason
    resolutions.csv     contest_id, round, winner, method, reference: how the commission
                        settled a tie the law left undecided (method: lot, commission_decision,
                        court_decision)
    preferences.csv     contest_id, party_id, rank, votes, station_id: preference votes for
                        list candidates (open lists), by station or, station_id left empty,
                        for the whole constituency
    notes.csv           kind, text: data conflicts, sources, what was generated
    sources.md          for readers: the notes as prose (written, never read)

Only election.toml and the registry files a run needs are required. A law is a bundled
law name or a path relative to the directory. Only regular files are read; a hidden file (its
name starts with a dot, such as .DS_Store) is never read, anywhere in the directory, and is
listed in the run's notes (kind "unused").

A contest id is any text a file name can hold, since its protocols are named by it: not
empty, no "/", "\\" or control character, not starting with a dot, at most
CONTEST_ID_BYTES bytes of UTF-8 (saylau.io.election.rows). contests.csv refuses any other
id, and a protocol file's name gives back every id it accepts (Cyrillic ones too, in NFC).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from saylau.errors import InputError
from saylau.inputs import (
    CollegeBallot,
    ElectionInputs,
    Note,
    TableOrigin,
)
from saylau.io.election.config import ElectionConfig, read_config
from saylau.io.election.gather import REGISTRY_FILES, Gathered
from saylau.io.election.laws import law_path as law_path
from saylau.io.election.laws import load_laws
from saylau.io.election.rows import (
    candidate,
    contest,
    district,
    invalidation,
    list_candidate,
    note,
    party,
    preference,
    resolution,
    territory,
    with_names,
    withdrawal,
)
from saylau.io.files import nfc, shown
from saylau.io.protocols.files import read_protocols
from saylau.io.table_files import Row, cell, read_rows, unique, whole
from saylau.io.text_table import read_text_table
from saylau.registry.election import Election
from saylau.registry.stations import station_table

Origins = dict[str, TableOrigin]
"""Where each table was read, filled as the directory is read."""

T = TypeVar("T")
PROTOCOL_FILE = re.compile(
    r"^(?P<contest>[^/\\\x00-\x1f\x7f-\x9f.][^/\\\x00-\x1f\x7f-\x9f]*)"
    r"\.r(?P<round>[0-9]+)\.(csv|csv\.gz|parquet)$"
)
"""A protocol file's name: <contest_id>.r<round>.csv, .csv.gz or .parquet, for any id that
contests.csv accepts."""
Progress = Callable[[int, int], None]


def read_election_dir(
    root: Path, *, progress: Progress | None = None, check_laws: bool = False
) -> ElectionInputs:
    """Read a whole election directory into the values a run takes.

    A bad file does not stop the reading: every file's problems are told together, grouped
    by file (saylau.io.election.gather). With `check_laws` (as a run reads), each chamber's
    law is loaded before any protocol is read, and the cross-references are told too."""
    origins: Origins = {}
    found = Gathered()
    config, election = read_registry(root, origins, found, check_laws=check_laws)
    inputs = ElectionInputs(
        election=election,
        protocols=_protocols(root / "protocols", election, progress, origins, found),
        college_ballots=found.attempt(
            root / "college.csv", lambda: _college(root / "college.csv", origins), ()
        ),
        invalidations=_read(root, "invalidations.csv", invalidation, origins, True, found),
        withdrawals=_read(root, "withdrawals.csv", withdrawal, origins, True, found),
        resolutions=_read(root, "resolutions.csv", resolution, origins, True, found),
        published=config.published_values,
        notes=(
            *_read(root, "notes.csv", note, origins, True, found),
            *hidden_files(root),
        ),
        generated=frozenset(config.generated),
        seed=config.seed,
        origins=origins,
        preferences=_read(root, "preferences.csv", preference, origins, True, found),
    )
    found.cross_references(inputs, len(config.chambers))
    found.refuse()
    return inputs


def read_registry(
    root: Path,
    origins: Origins | None = None,
    gathered: Gathered | None = None,
    *,
    check_laws: bool = False,
) -> tuple[ElectionConfig, Election]:
    """election.toml and the registry files of an election directory, without its votes.

    A file the directory should not hold (a misspelled name, most likely) is checked first,
    then (with `check_laws`) each chamber's law. With `gathered`, a problem is kept there
    and the reading goes on; without, the first problem stops it."""
    if not root.is_dir():
        raise InputError(f"{root}: not an election directory")
    found: Origins = {} if origins is None else origins
    config = read_config(root / "election.toml")
    found["election"] = TableOrigin(str(root / "election.toml"))
    if strays := stray_files(root, config):
        if gathered is None:
            raise stray_error(root, strays)
        gathered.keep(stray_error(root, strays), strays)
    if check_laws:
        load_laws(root, config, gathered)
    g = gathered
    election = config.election(
        parties=_read(root, "parties.csv", party, found, True, g),
        lists=_read(root, "lists.csv", list_candidate, found, True, g),
        territories=_read(root, "territories.csv", territory, found, False, g),
        districts=_read(root, "districts.csv", district, found, True, g),
        stations=_stations(root / "stations.csv", found, g),
        contests=_read(root, "contests.csv", contest, found, False, g),
        candidates=_read(root, "candidates.csv", candidate, found, True, g),
    )
    return config, election


READERS_FILES = frozenset({"sources.md", "README.md"})
"""Files written for readers, never read."""


def listed(folder: Path) -> list[Path]:
    """The entries of a folder, sorted; a folder that cannot be read is named in one line."""
    try:
        return sorted(folder.iterdir())
    except OSError as exc:
        raise InputError(
            f"{shown(folder)}: cannot read the folder: {exc.strerror or exc}"
        ) from None


def hidden_files(root: Path) -> tuple[Note, ...]:
    """A note (kind "unused") for each hidden file of the directory and its protocols/ and
    law/ folders: never read, never an error."""
    folders = [root] + [root / name for name in ("protocols", "law") if (root / name).is_dir()]
    return tuple(
        Note("unused", f"{shown(path)}: a hidden file, not read")
        for folder in folders
        for path in listed(folder)
        if path.name.startswith(".")
    )


def stray_error(root: Path, strays: list[tuple[Path, str]]) -> InputError:
    """The error naming every file of the directory that Saylau does not read."""
    listing = "\n  ".join(f"{shown(path)}: {what}" for path, what in strays)
    return InputError(f"{root}: {len(strays)} file(s) Saylau does not read:\n  {listing}")


def stray_files(root: Path, config: ElectionConfig) -> list[tuple[Path, str]]:
    """Every file of the directory is one Saylau reads, a law file, or for readers; a hidden
    file (its name starts with a dot) is left alone. Each other one is named, with the file
    it was most likely meant to be."""
    laws = {
        (root / name).resolve()
        for c in config.chambers
        for name in (c.law, c.applied_law)
        if name is not None and name.endswith(".toml")
    }
    known = {"election.toml", *COLUMNS, *READERS_FILES}
    problems: list[tuple[Path, str]] = []
    for path in listed(root):
        name = path.name
        if name.startswith(".") or name in known or path.resolve() in laws:
            continue
        if path.is_dir() and name in ("protocols", "law"):
            problems += [
                (p, "a law folder holds law files (.toml)")
                for p in (listed(path) if name == "law" else [])
                if not p.name.startswith(".") and p.suffix != ".toml"
            ]
            continue
        guess = difflib.get_close_matches(
            name.lower(), sorted(known | {"protocols", "law"}), 1, 0.6
        )
        hint = f"; did you mean {guess[0]}?" if guess else ""
        problems.append((path, f"not a file of an election directory{hint}"))
    return problems


def _read(
    root: Path,
    name: str,
    build: Callable[[Path, Row], T],
    origins: Origins,
    optional: bool = False,
    gathered: Gathered | None = None,
) -> tuple[T, ...]:
    path = root / name
    if gathered is not None:
        return gathered.attempt(path, lambda: _read(root, name, build, origins, optional), ())
    if not path.exists() and not path.is_symlink():
        if optional:
            return ()
        raise InputError(f"{path}: missing; an election directory needs it")
    required, extra = COLUMNS[name]
    rows = read_rows(path, required, extra)
    if name in KEYED:
        unique(path, rows, required[0])
    origins[name.removesuffix(".csv")] = TableOrigin(str(path), tuple(line for line, _ in rows))
    return tuple(build(path, row) for row in rows)


COLUMNS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "parties.csv": (
        ("party_id", "name"),
        ("kind", "registration_order", "colour", "seats_before", "members"),
    ),
    "lists.csv": (("party_id", "rank", "name"), ()),
    "territories.csv": (("territory_id", "name"), ("kind", "utc_offset")),
    "districts.csv": (("district_id", "name", "territory_id"), ()),
    "stations.csv": (("station_id", "district_id", "territory_id"), ()),
    "contests.csv": (
        ("contest_id", "chamber", "tier"),
        ("district_id", "territory_id", "replaces"),
    ),
    "candidates.csv": (("candidate_id", "contest_id", "name"), ("nominator", "member")),
    "college.csv": (
        ("contest_id", "round", "electors", "present", "candidate_id", "votes"),
        ("took_part",),
    ),
    "invalidations.csv": (("contest_id", "round", "new_contest_id"), ("reason",)),
    "withdrawals.csv": (("contest_id", "candidate_id"), ("reason",)),
    "resolutions.csv": (("contest_id", "round", "winner", "method"), ("reference",)),
    "notes.csv": (("kind", "text"), ()),
    "preferences.csv": (("contest_id", "party_id", "rank", "votes"), ("station_id",)),
}
COLUMNS = with_names(COLUMNS)  # and name_kk, name_ru, name_en (saylau.io.election.rows)


KEYED = frozenset(
    {
        "parties.csv",
        "territories.csv",
        "districts.csv",
        "stations.csv",
        "contests.csv",
        "candidates.csv",
    }
)
"""Registry files whose first column is an id that must not repeat."""


def _stations(path: Path, origins: Origins, gathered: Gathered | None = None) -> pa.Table:
    """stations.csv, read whole as columns (saylau.io.text_table): it may have a million rows."""
    if gathered is not None:
        return gathered.attempt(path, lambda: _stations(path, origins), station_table())
    if not path.exists() and not path.is_symlink():
        raise InputError(f"{path}: missing; an election directory needs it")
    table, origin = read_text_table(path, *COLUMNS["stations.csv"])
    origins["stations"] = origin
    return table


def _college(path: Path, origins: Origins) -> tuple[CollegeBallot, ...]:
    if not path.exists() and not path.is_symlink():
        return ()
    required, extra = COLUMNS["college.csv"]
    ballots: dict[tuple[str, int], dict[str, Any]] = {}
    for row in read_rows(path, required, extra):
        key = (cell(path, row, "contest_id"), whole(path, row, "round") or 0)
        sheet = (
            whole(path, row, "electors"),
            whole(path, row, "present"),
            whole(path, row, "took_part", required=False),
        )
        ballot = ballots.setdefault(key, {"sheet": sheet, "votes": {}, "line": row[0]})
        if ballot["sheet"] != sheet:
            raise InputError(
                f"{path}: line {row[0]}: contest {key[0]} round {key[1]}: electors, present or "
                f"took_part differ from line {ballot['line']}"
            )
        candidate = cell(path, row, "candidate_id")
        if candidate in ballot["votes"]:
            raise InputError(
                f"{path}: line {row[0]}: field candidate_id: {candidate} appears twice"
            )
        ballot["votes"][candidate] = whole(path, row, "votes")
    origins["college"] = TableOrigin(str(path), tuple(b["line"] for b in ballots.values()))
    return tuple(
        CollegeBallot(contest, round_no, b["sheet"][0], b["sheet"][1], b["votes"], b["sheet"][2])
        for (contest, round_no), b in ballots.items()
    )


def _protocols(
    folder: Path,
    election: Election,
    progress: Progress | None,
    origins: Origins,
    gathered: Gathered,
) -> dict[tuple[str, int], Any]:
    """Every protocol file; the problems of each are kept in `gathered`."""
    if not folder.is_dir():
        return {}
    tables: dict[tuple[str, int], Any] = {}
    files = [path for path in listed(folder) if not path.name.startswith(".")]
    if gathered.law_failed or any(gathered.failed(name) for name in REGISTRY_FILES):
        return tables  # no protocol is read under a law that failed, or against a registry
    if files and election.stations.num_rows == 0:
        gathered.error(folder.parent / "stations.csv", no_stations(folder.parent))
        return tables

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
