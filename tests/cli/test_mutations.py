"""The property over mutations: a valid election directory with one row dropped, duplicated
or retargeted, a column renamed or a cell's type changed either is refused (exit 2) with a
message that names the mutated file, or runs to a result that accounts for every protocol
file and every seat."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import saylau
from saylau.errors import SaylauError
from saylau.io.election.read import read_election_dir
from saylau.results import ChamberResult, ElectionResult
from tests.stages.demo import DEMO

FILES = tuple(
    sorted(
        str(p.relative_to(DEMO)) for p in [*DEMO.glob("*.csv"), *(DEMO / "protocols").glob("*.csv")]
    )
)
KINDS = ("drop", "duplicate", "retarget", "rename_column", "change_type")
ODD_VALUES = ("x", "1.5", "-3", "", "9" * 14, "s1", "d3", "house-d2", "red", "2")


@dataclass(frozen=True)
class Mutation:
    file: str
    kind: str
    row: int
    column: int
    value: str


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def apply(root: Path, mutation: Mutation) -> bool:
    """Change one file as the mutation says; False when the file has nothing to change."""
    path = root / mutation.file
    rows = _rows(path)
    header, body = rows[0], rows[1:]
    column = mutation.column % len(header)
    if mutation.kind == "rename_column":
        header[column] = header[column] + "_x"
    elif not body:
        return False
    else:
        row = mutation.row % len(body)
        if mutation.kind == "drop":
            del body[row]
        elif mutation.kind == "duplicate":
            body.insert(row, list(body[row]))
        else:  # retarget or change the type of one cell
            body[row][column % len(body[row])] = mutation.value
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([header, *body])
    path.write_text(text.getvalue(), encoding="utf-8")
    return True


mutations = st.builds(
    Mutation,
    st.sampled_from(FILES),
    st.sampled_from(KINDS),
    st.integers(0, 50),
    st.integers(0, 50),
    st.sampled_from(ODD_VALUES),
)


def accountable(chamber: ChamberResult) -> int:
    """The seats this election elects: all but the appointed, or the contested college seats."""
    if chamber.seats_contested or chamber.seats_elected:
        return chamber.seats_contested + chamber.seats_not_in_data
    return chamber.seats_total - chamber.appointed_seats


def accounted_for(result: ElectionResult, root: Path) -> None:
    """Every protocol file is decided on, noted as unused, or named in a vacancy; every seat
    is held, vacant, not elected in this data, or not decided."""
    inputs = read_election_dir(root)
    decided = {(d.contest_id, d.round) for s in result.stages for d in s.decisions}
    decided |= {(d.contest_id, 1) for s in result.stages for d in s.lists}
    said = " ".join(n.text for n in result.notes) + " ".join(
        f"{v.contest_id} {v.reason}" for c in result.chambers for v in c.vacancies
    )
    gaps = " ".join(g.reason for c in result.chambers for g in c.gaps)
    for contest, round_no in inputs.protocols:
        assert (
            (contest, round_no) in decided
            or f"contest {contest}, round {round_no}" in said
            or f"{contest} no round {round_no}" in said
            or ("list" in contest and "list" in gaps)
        ), (contest, round_no)
    for chamber in result.chambers:
        held = chamber.seats_filled + chamber.seats_vacant + chamber.seats_not_in_data
        held += chamber.seats_not_decided
        assert held == accountable(chamber), chamber.chamber_id


@settings(deadline=None)
@given(mutations)
def test_every_mutation_is_refused_by_name_or_accounted_for(mutation: Mutation) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "election"
        shutil.copytree(DEMO, root)
        if not apply(root, mutation):
            return
        try:
            result = saylau.run(root)
        except SaylauError as error:
            refused = str(error)
        else:
            accounted_for(result, root)
            return
    assert Path(mutation.file).name in refused, (mutation, refused)
