"""Bad input, as a careless or hostile user gives it: every case ends in one of Saylau's own
one-line errors (exit 2) naming the file, the row and the field, never a traceback."""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from tests.stages.demo import DEMO

runner = CliRunner()

Edit = Callable[[Path], None]


def _demo(tmp_path: Path) -> Path:
    root = tmp_path / "election"
    shutil.copytree(DEMO, root)
    return root


def _refused(root: Path, *words: str) -> str:
    result = runner.invoke(app, ["run", str(root)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    return result.stderr


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CONFIG_CASES: dict[str, tuple[Edit, tuple[str, ...]]] = {
    "unknown key": (
        lambda r: _replace(r / "election.toml", "seed = 7", "seed = 7\nsede = 8"),
        ("election.toml: sede: is not a setting of election.toml",),
    ),
    "float seed": (
        lambda r: _replace(r / "election.toml", "seed = 7", "seed = 7.5"),
        ("election.toml: seed: Input should be a valid integer",),
    ),
    "generated as a string": (
        lambda r: _replace(r / "election.toml", "seed = 7", 'seed = 7\ngenerated = "stations"'),
        ("election.toml: generated: Input should be a valid list",),
    ),
    "a chamber twice": (
        lambda r: _append(
            r / "election.toml",
            '\n[[chambers]]\nchamber_id = "house"\nlaw = "law/demo-house.toml"\n',
        ),
        ("election.toml: chambers: chamber house is named twice",),
    ),
    "a figure as text": (
        lambda r: _replace(
            r / "election.toml", '"house.seats_total" = 7', '"house.seats_total" = "7"'
        ),
        ("election.toml: published.figures.house.seats_total", "valid integer"),
    ),
}


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_election_toml_is_typed(tmp_path: Path, case: str) -> None:
    edit, words = CONFIG_CASES[case]
    root = _demo(tmp_path)
    edit(root)
    _refused(root, *words)


CROSS_FILE_CASES: dict[str, tuple[Edit, tuple[str, ...]]] = {
    "an invalidation of an unknown contest": (
        lambda r: (r / "invalidations.csv").write_text(
            "contest_id,round,new_contest_id,reason\nhouse-d9,1,house-d9n,x\n", encoding="utf-8"
        ),
        ("invalidations.csv: line 2: field contest_id: house-d9 is not a district contest",),
    ),
    "a withdrawal from a contest with no second round": (
        lambda r: (r / "withdrawals.csv").write_text(
            "contest_id,candidate_id,reason\nhouse-list,red,x\n", encoding="utf-8"
        ),
        ("withdrawals.csv: line 2: field contest_id: house-list is not a district contest",),
    ),
    "a withdrawal of someone who does not stand": (
        lambda r: (r / "withdrawals.csv").write_text(
            "contest_id,candidate_id,reason\nhouse-d2,d1-red,x\n", encoding="utf-8"
        ),
        ("withdrawals.csv: line 2: field candidate_id: d1-red does not stand in house-d2",),
    ),
    "a resolution for a round the law does not have": (
        lambda r: (r / "resolutions.csv").write_text(
            "contest_id,round,winner,method,reference\nhouse-d2,3,d2-blue,lot,x\n",
            encoding="utf-8",
        ),
        ("resolutions.csv: line 2: field round: round 3: house-d2 has round(s) 1 to 2",),
    ),
    "a protocol file for a round the law does not have": (
        lambda r: shutil.copy(
            r / "protocols" / "house-list.r1.csv", r / "protocols" / "house-list.r2.csv"
        ),
        ("house-list.r2.csv: field round: round 2: house-list has round(s) 1 to 1",),
    ),
    "a district contest with no district": (
        lambda r: _replace(
            r / "contests.csv", "house-d1,house,district,d1,", "house-d1,house,district,,"
        ),
        ("contests.csv: line 3: field district_id: contest house-d1: a district contest needs",),
    ),
    "a station in a territory its district is not in": (
        lambda r: _replace(r / "stations.csv", "s1,d1,north", "s1,d1,south"),
        ("stations.csv: line 2: field territory_id: station s1 is in territory south",),
    ),
    "a district contest under a law with no district tier": (
        lambda r: _replace(
            r / "contests.csv", "house-d1,house,district", "house-d1,senate,district"
        ),
        ("contests.csv: line 3: field chamber: contest house-d1: chamber senate is not one",),
    ),
    "a ballot column for a party that filed no list": (
        lambda r: _replace(r / "lists.csv", "yellow,1,Ha Yellow\n", ""),
        ("house-list.r1.csv: field yellow: yellow does not stand in house-list",),
    ),
    "a candidate with no column": (
        lambda r: (r / "candidates.csv").write_text(
            (r / "candidates.csv").read_text(encoding="utf-8")
            + "d1-green,house-d1,Pi Green,green\n",
            encoding="utf-8",
        ),
        ("house-d1.r1.csv: field d1-green: no column for d1-green",),
    ),
    "a misspelled optional file": (
        lambda r: (r / "Invalidations.csv").write_text(
            "contest_id,round,new_contest_id,reason\n", encoding="utf-8"
        ),
        ("Invalidations.csv: not a file of an election directory; did you mean invalidations",),
    ),
    "a college row for a contest that is no college seat": (
        lambda r: (r / "college.csv").write_text(
            "contest_id,round,electors,present,candidate_id,votes\nhouse-d1,1,10,9,d1-red,5\n",
            encoding="utf-8",
        ),
        ("college.csv: line 2: field contest_id: house-d1 is not a college contest",),
    ),
}


@pytest.mark.parametrize("case", sorted(CROSS_FILE_CASES))
def test_every_cross_reference_is_checked_before_counting(tmp_path: Path, case: str) -> None:
    edit, words = CROSS_FILE_CASES[case]
    root = _demo(tmp_path)
    edit(root)
    _refused(root, *words)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    for case in (
        "a withdrawal of someone who does not stand",
        "a station in a territory its district is not in",
    ):
        CROSS_FILE_CASES[case][0](root)
    message = _refused(root, "withdrawals.csv: line 2", "stations.csv: line 2")
    assert "rule(s)" in message


FILE_CASES: dict[str, tuple[Edit, tuple[str, ...]]] = {
    "latin-1 bytes in a protocol": (
        lambda r: (r / "protocols" / "house-list.r1.csv").write_bytes(
            (r / "protocols" / "house-list.r1.csv").read_bytes().replace(b"s2,", b"s\xe92,")
        ),
        ("house-list.r1.csv: row 3: not UTF-8 text",),
    ),
    "latin-1 bytes in the registry": (
        lambda r: (r / "parties.csv").write_bytes(
            (r / "parties.csv").read_bytes().replace(b"Red", b"R\xe9d", 1)
        ),
        ("parties.csv: line 2: byte 0xe9 is not UTF-8 text",),
    ),
    "a byte-order mark in the registry is fine, a repeated column is not": (
        lambda r: (r / "stations.csv").write_bytes(
            b"\xef\xbb\xbfstation_id,district_id,territory_id,district_id\n" + b"s1,d1,north,d2\n"
        ),
        ("stations.csv: line 1: field district_id: the column appears twice",),
    ),
    "a truncated gzip protocol file": (
        lambda r: (
            (r / "protocols" / "house-list.r1.csv.gz").write_bytes(
                gzip.compress((r / "protocols" / "house-list.r1.csv").read_bytes())[:40]
            ),
            (r / "protocols" / "house-list.r1.csv").unlink(),
        ),
        ("house-list.r1.csv.gz: not a gzip file, or cut short",),
    ),
    "a cell of 200,000 characters": (
        lambda r: _replace(r / "protocols" / "house-list.r1.csv", "s1,", "s" + "x" * 200_000 + ","),
        ("house-list.r1.csv: row 2, field station_id: 200,001 characters, more than the limit",),
    ),
    "a header of 60,000 columns": (
        lambda r: (r / "protocols" / "house-list.r1.csv").write_text(
            "station_id," + ",".join(f"c{i}" for i in range(60_000)) + "\n", encoding="utf-8"
        ),
        ("house-list.r1.csv: row 1, 60,001 columns, more than the limit of 2,000",),
    ),
    "a count beyond the limit": (
        lambda r: _replace(r / "protocols" / "house-list.r1.csv", "s1,1000,", "s1,10000000000000,"),
        ("house-list.r1.csv: row 2, field registered: 10000000000000 is beyond the limit",),
    ),
    "a protocol file that is a directory": (
        lambda r: (
            (r / "protocols" / "house-list.r1.csv").unlink(),
            (r / "protocols" / "house-list.r1.csv").mkdir(),
        ),
        ("house-list.r1.csv: is a directory, not a file",),
    ),
    "a protocol file that is a device": (
        lambda r: (
            (r / "protocols" / "house-list.r1.csv").unlink(),
            os.symlink("/dev/zero", r / "protocols" / "house-list.r1.csv"),
        ),
        ("house-list.r1.csv: not a regular file",),
    ),
}


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_every_file_error_is_one_of_saylaus(tmp_path: Path, case: str) -> None:
    edit, words = FILE_CASES[case]
    root = _demo(tmp_path)
    edit(root)
    _refused(root, *words)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    stations = root / "stations.csv"
    stations.write_bytes(b"\xef\xbb\xbf" + stations.read_bytes())
    assert runner.invoke(app, ["run", str(root), "--json"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--seats", "10000000", "--method", "dhondt"], "10,000,000 seats: more than the limit"),
        (["--seats", "1e23", "--method", "dhondt"], "Invalid value for '--seats'"),
    ],
)
def test_allocate_refuses_unbounded_work(args: list[str], words: str) -> None:
    votes = str(DEMO.parent / "kz-1999-list-votes.csv")
    result = runner.invoke(app, ["allocate", votes, *args])
    assert result.exit_code == 2
    assert words in result.output


def test_allocate_refuses_a_hundred_thousand_lists(tmp_path: Path) -> None:
    votes = tmp_path / "many.csv"
    votes.write_text("party,votes\n" + "".join(f"p{i},{i}\n" for i in range(100_000)))
    result = runner.invoke(app, ["allocate", str(votes), "--seats", "10", "--method", "dhondt"])
    assert result.exit_code == 2
    assert "row 1002: more than 1,000 lists" in result.stderr


OUT_CASES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "a file": (lambda t, r: _touch(t / "results.txt"), "not a directory"),
    "inside the input": (lambda t, r: r / "out", "may not write into the input"),
    "the input itself": (lambda t, r: r, "may not write into the input"),
    "a folder holding the input": (lambda t, r: t, "may not write into the input"),
    "a folder with other files": (lambda t, r: _touch(t / "mine" / "notes.txt").parent, "--force"),
    "under a file": (lambda t, r: _touch(t / "plain.txt") / "out", "cannot write there"),
}


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("mine\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(OUT_CASES))
def test_out_refuses_every_unsafe_place(tmp_path: Path, case: str) -> None:
    root = _demo(tmp_path)
    make, words = OUT_CASES[case]
    out = make(tmp_path, root)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = runner.invoke(app, ["run", str(root), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written


def test_force_keeps_what_the_folder_held(tmp_path: Path) -> None:
    out = _touch(tmp_path / "mine" / "notes.txt").parent
    result = runner.invoke(app, ["run", str(DEMO), "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert (out / "manifest.json").is_file()
    assert (tmp_path / "mine.replaced" / "notes.txt").read_text() == "mine\n"
    assert "kept in" in result.stderr
    again = runner.invoke(app, ["run", str(DEMO), "--out", str(out)])
    assert again.exit_code == 0, again.output  # an earlier bundle is replaced, no --force
    assert not list(tmp_path.glob(".mine*"))  # no draft left behind


# The reading edge (issue 25): only regular files, bounded reading, text read once.


def _fifo(path: Path) -> threading.Timer:
    """A named pipe at `path`. Should anything open it to read, a writer comes after a few
    seconds and closes at once, so the test fails on its message instead of hanging."""
    path.unlink(missing_ok=True)
    os.mkfifo(path)

    def unblock() -> None:
        with contextlib.suppress(OSError):  # no reader waits: nothing to unblock
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(5, unblock)
    timer.start()
    return timer


def _special(path: Path, kind: str) -> threading.Timer | None:
    """A named pipe (see _fifo) or a link to /dev/zero at `path`."""
    if kind == "fifo":
        return _fifo(path)
    path.unlink(missing_ok=True)
    os.symlink("/dev/zero", path)
    return None


@pytest.mark.parametrize(
    "name",
    [
        "election.toml",
        "law/demo-house.toml",
        "parties.csv",
        "lists.csv",
        "territories.csv",
        "districts.csv",
        "stations.csv",
        "contests.csv",
        "candidates.csv",
        "notes.csv",
        "college.csv",
        "invalidations.csv",
        "withdrawals.csv",
        "resolutions.csv",
        "protocols/house-list.r1.csv",
    ],
)
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_only_regular_files_are_read(tmp_path: Path, name: str, kind: str) -> None:
    root = _demo(tmp_path)
    start = time.monotonic()
    timer = _special(root / name, kind)
    try:
        _refused(root, f"{root / name}: not a regular file")
    finally:
        if timer is not None:
            timer.cancel()
    assert time.monotonic() - start < 4


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_allocate_reads_only_a_regular_votes_file(tmp_path: Path, kind: str) -> None:
    votes = tmp_path / "votes.csv"
    timer = _special(votes, kind)
    try:
        result = runner.invoke(app, ["allocate", str(votes), "--seats", "5", "--method", "dhondt"])
    finally:
        if timer is not None:
            timer.cancel()
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: {votes}: not a regular file (a device, a pipe or a socket)\n"


def test_allocate_names_a_party_of_200000_characters(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text(f"party,votes\nred,10\n{'p' * 200_000},5\n", encoding="utf-8")
    result = runner.invoke(app, ["allocate", str(votes), "--seats", "5", "--method", "dhondt"])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"error: {votes}: row 3, field party: 200,000 characters, more than the limit of "
        f"1,000 (MAX_CELL_CHARS)\n"
    )


def test_a_protocols_folder_that_cannot_be_read_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _demo(tmp_path)
    protocols = root / "protocols"
    protocols.chmod(0)
    real = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self == protocols:  # root reads any folder: refuse as chmod 000 does for others
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    try:
        message = _refused(root, f"{protocols}: cannot read the folder: Permission denied")
    finally:
        protocols.chmod(0o755)
    assert message.count("\n") == 1


READING_CASES: dict[str, tuple[Edit, tuple[str, ...]]] = {
    "an empty stations.csv": (
        lambda r: (r / "stations.csv").write_text("station_id,district_id,territory_id\n"),
        ("stations.csv: stations.csv has no stations",),
    ),
    "a Bengali digit in a count": (
        lambda r: _replace(r / "protocols" / "house-list.r1.csv", "s1,1000,", "s1,১000,"),
        ("house-list.r1.csv: row 2, field registered: '১000' is not a whole number",),
    ),
    "NaN in a count": (
        lambda r: _replace(r / "protocols" / "house-list.r1.csv", ",700,20,30,", ",700,NaN,30,"),
        ("house-list.r1.csv: row 2, field invalid: 'NaN' is not a whole number",),
    ),
    "a NUL in a station id": (
        lambda r: _replace(r / "protocols" / "house-list.r1.csv", "\ns1,", "\ns\x001,"),
        ("house-list.r1.csv: row 2, field station_id: 's\\x001' holds a control character",),
    ),
    "a contest id with a slash": (
        lambda r: _replace(r / "contests.csv", "house-d1,", "house/d1,"),
        ("contests.csv: line 3: field contest_id: 'house/d1' holds a slash",),
    ),
    "a gzip of blank lines": (
        lambda r: (
            (r / "protocols" / "house-list.r1.csv.gz").write_bytes(
                gzip.compress(
                    (r / "protocols" / "house-list.r1.csv").read_bytes() + b"\n" * 6_000_000, 1
                )
            ),
            (r / "protocols" / "house-list.r1.csv").unlink(),
        ),
        ("house-list.r1.csv.gz: row 5000002: more than 5,000,000 rows", "MAX_ROWS"),
    ),
}


@pytest.mark.parametrize("case", sorted(READING_CASES))
def test_every_reading_case_is_named(tmp_path: Path, case: str) -> None:
    edit, words = READING_CASES[case]
    root = _demo(tmp_path)
    edit(root)
    message = _refused(root, *words)
    assert message.count("\n") == 1
    assert "\x00" not in message


def test_a_bom_a_hidden_file_and_a_cyrillic_contest_are_read(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    before = runner.invoke(app, ["run", str(root), "--json", "-q"]).stdout
    for path in (root / "election.toml", root / "law" / "demo-house.toml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    (root / "protocols" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    result = runner.invoke(app, ["run", str(root), "--json", "-q"])
    assert result.exit_code == 0, result.output
    assert ".DS_Store: a hidden file, not read" in result.stdout
    _replace(root / "contests.csv", "house-d1,", "округ-1,")
    candidates = root / "candidates.csv"
    candidates.write_text(
        candidates.read_text(encoding="utf-8").replace(",house-d1,", ",округ-1,"), encoding="utf-8"
    )
    (root / "protocols" / "house-d1.r1.csv").rename(root / "protocols" / "округ-1.r1.csv")
    result = runner.invoke(app, ["run", str(root), "--json", "-q"])
    assert result.exit_code == 0, result.output
    assert "округ-1" in result.stdout
    assert before
