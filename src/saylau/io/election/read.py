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
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Final, TypeVar

import pyarrow as pa

from saylau.errors import InputError
from saylau.inputs import (
    CollegeBallot,
    ElectionInputs,
    Note,
    TableOrigin,
)
from saylau.io.election.columns import COLUMNS, KEYED
from saylau.io.election.config import ElectionConfig, read_config
from saylau.io.election.gather import REGISTRY_FILES, Gathered
from saylau.io.election.laws import law_path as law_path
from saylau.io.election.laws import load_laws
from saylau.io.election.protocol_folder import no_stations, read_protocol_files
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
    withdrawal,
)
from saylau.io.files import listed, shown
from saylau.io.table_files import Row, cell, read_rows, unique, whole
from saylau.io.text_table import read_text_table
from saylau.protocol.aside import ASIDE_ROWS, aside
from saylau.registry.election import Election
from saylau.registry.stations import station_table

Origins = dict[str, TableOrigin]
"""Where each table was read, filled as the directory is read."""

T = TypeVar("T")
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
    config, registry = registry_started(root, origins, found, check_laws=check_laws)
    election, protocols = with_protocols(root, registry, progress, origins, found)
    inputs = ElectionInputs(
        election=election,
        protocols=protocols,
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
    config, registry = registry_started(root, origins, gathered, check_laws=check_laws)
    return config, registry.election()


@dataclass(frozen=True)
class RegistryRead:
    """The registry read, but for its stations, which `stations` gives once read (a large
    stations.csv is read in a thread of its own meanwhile: `BESIDE_BYTES`)."""

    without_stations: Election
    stations: Callable[[], pa.Table]

    def election(self) -> Election:
        """The registry with its stations (waiting for them)."""
        return replace(self.without_stations, stations=self.stations())


def registry_started(
    root: Path,
    origins: Origins | None = None,
    gathered: Gathered | None = None,
    *,
    check_laws: bool = False,
) -> tuple[ElectionConfig, RegistryRead]:
    """`read_registry`, with a large stations.csv still being read when it returns."""
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
    parties = _read(root, "parties.csv", party, found, True, g)
    lists = _read(root, "lists.csv", list_candidate, found, True, g)
    territories = _read(root, "territories.csv", territory, found, False, g)
    districts = _read(root, "districts.csv", district, found, True, g)
    stations = _stations_started(root / "stations.csv", found, g)
    election = config.election(
        parties=parties,
        lists=lists,
        territories=territories,
        districts=districts,
        contests=_read(root, "contests.csv", contest, found, False, g),
        candidates=_read(root, "candidates.csv", candidate, found, True, g),
    )
    return config, RegistryRead(election, stations)


def with_protocols(
    root: Path,
    registry: RegistryRead,
    progress: Progress | None,
    origins: Origins,
    gathered: Gathered,
) -> tuple[Election, dict[tuple[str, int], Any]]:
    """The registry with its stations, and every protocol file (io/election/protocol_folder),
    read while stations.csv is read beside them. No protocol is read under a law that
    failed or against a registry file that failed; since stations.csv may still be being
    read, the protocols' problems are kept apart until it is, then told after its own, or
    dropped with the tables where it failed or holds no station."""
    folder = root / "protocols"
    files = [p for p in listed(folder) if not p.name.startswith(".")] if folder.is_dir() else []
    if not folder.is_dir() or gathered.law_failed or any(map(gathered.failed, REGISTRY_FILES)):
        return registry.election(), {}
    apart = Gathered()
    apart_origins: Origins = {}
    tables = read_protocol_files(files, registry.without_stations, progress, apart_origins, apart)
    election = registry.election()
    if gathered.failed("stations.csv"):
        return election, {}
    if files and election.stations.num_rows == 0:
        gathered.error(root / "stations.csv", no_stations(root))
        return election, {}
    gathered.take(apart)
    origins.update(apart_origins)
    return election, tables


READERS_FILES = frozenset({"sources.md", "README.md"})
"""Files written for readers, never read."""


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


BESIDE_BYTES: Final = 1 << 20
"""A stations.csv file this large (some fifty thousand stations) is read in a thread of its
own while the rest of the directory is read: pyarrow lets go of the interpreter as it
parses, so the protocol files are read meanwhile on the other cores."""


def _stations_started(
    path: Path, origins: Origins, gathered: Gathered | None
) -> Callable[[], pa.Table]:
    """stations.csv, read whole as columns (saylau.io.text_table): it may have a million rows.
    Where problems are gathered and the file is large, it is read beside the caller, and its
    problems keep its place among the files (`Gathered.hold`); the function returned gives
    the table, once."""
    if gathered is None or not _large(path):
        table = _stations(path, origins, gathered)
        return lambda: table
    gathered.hold(path)
    mine: Origins = {}
    reading = aside(lambda: _stations(path, mine), ASIDE_ROWS)

    def read() -> pa.Table:
        table = gathered.attempt(path, reading, station_table())
        origins.update(mine)
        return table

    return cache(read)


def _large(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size >= BESIDE_BYTES
    except OSError:
        return False


def _stations(path: Path, origins: Origins, gathered: Gathered | None = None) -> pa.Table:
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
