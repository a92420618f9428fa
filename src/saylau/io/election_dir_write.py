"""Write an election directory (the layout of saylau.io.election_dir) that reads back the same."""

from __future__ import annotations

from pathlib import Path

from saylau.io.election_dir import COLUMNS
from saylau.io.protocol_files import write_protocols
from saylau.io.table_files import write_rows
from saylau.law.share import format_share
from saylau.stages.inputs import ElectionInputs


def write_election_dir(inputs: ElectionInputs, root: Path, *, protocol_format: str = "csv") -> None:
    """Write every value of a run as an election directory that reads back the same."""
    election = inputs.election
    root.mkdir(parents=True, exist_ok=True)
    (root / "election.toml").write_text(_toml(inputs), encoding="utf-8")
    write_rows(
        root / "parties.csv",
        [*COLUMNS["parties.csv"][0], *COLUMNS["parties.csv"][1]],
        [vars(p) for p in election.parties],
    )
    write_rows(root / "lists.csv", COLUMNS["lists.csv"][0], [vars(c) for c in election.lists])
    write_rows(
        root / "territories.csv",
        ["territory_id", "name", "kind"],
        [vars(t) for t in election.territories],
    )
    write_rows(
        root / "districts.csv", COLUMNS["districts.csv"][0], [vars(d) for d in election.districts]
    )
    write_rows(
        root / "stations.csv", COLUMNS["stations.csv"][0], [vars(s) for s in election.stations]
    )
    write_rows(
        root / "contests.csv",
        [*COLUMNS["contests.csv"][0], *COLUMNS["contests.csv"][1]],
        [vars(c) for c in election.contests],
    )
    write_rows(
        root / "candidates.csv",
        ["candidate_id", "contest_id", "name", "nominator"],
        [vars(c) for c in election.candidates],
    )
    write_rows(
        root / "college.csv",
        [*COLUMNS["college.csv"][0], "took_part"],
        [
            {
                "contest_id": b.contest_id,
                "round": b.round,
                "electors": b.electors,
                "present": b.present,
                "took_part": b.took_part,
                "candidate_id": c,
                "votes": v,
            }
            for b in inputs.college_ballots
            for c, v in b.votes.items()
        ],
    )
    write_rows(
        root / "invalidations.csv",
        ["contest_id", "round", "new_contest_id", "reason"],
        [vars(i) for i in inputs.invalidations],
    )
    write_rows(
        root / "withdrawals.csv",
        ["contest_id", "candidate_id", "reason"],
        [vars(w) for w in inputs.withdrawals],
    )
    write_rows(root / "notes.csv", ["kind", "text"], [vars(n) for n in inputs.notes])
    (root / "sources.md").write_text(_sources(inputs), encoding="utf-8")
    folder = root / "protocols"
    folder.mkdir(exist_ok=True)
    for (contest, round_no), table in sorted(inputs.protocols.items()):
        write_protocols(table, folder / f"{contest}.r{round_no}.{protocol_format}")


def _toml(inputs: ElectionInputs) -> str:
    election = inputs.election
    lines = [
        f"id = {_q(election.election_id)}",
        f"name = {_q(election.name)}",
        f"seed = {inputs.seed}",
    ]
    lines.append("generated = [" + ", ".join(_q(g) for g in sorted(inputs.generated)) + "]")
    lines.append("")
    lines.append("[dates]")
    lines += [f"{k} = {_q(v)}" for k, v in election.dates.items()]
    for chamber in election.chambers:
        lines += [
            "",
            "[[chambers]]",
            f"chamber_id = {_q(chamber.chamber_id)}",
            f"name = {_q(chamber.name)}",
            f"law = {_q(chamber.law)}",
        ]
    published = inputs.published
    lines += ["", "[published]"]
    if published.turnout_before is not None:
        lines.append(f"turnout_before = {_q(format_share(published.turnout_before))}")
    if published.figures:
        lines += ["", "[published.figures]"]
        lines += [f"{_q(k)} = {v}" for k, v in sorted(published.figures.items())]
    if published.sources:
        lines += ["", "[published.sources]"]
        lines += [f"{_q(k)} = {_q(v)}" for k, v in sorted(published.sources.items())]
    return "\n".join(lines) + "\n"


def _sources(inputs: ElectionInputs) -> str:
    """Where the figures come from and what was generated, for a reader of the files."""
    headings = {
        "source": "Sources of the real figures",
        "generated": "Generated (never published; seeded and reproducible)",
        "conflict": "Data conflicts, reported and not smoothed over",
        "assumption": "Assumptions",
    }
    lines = [f"# {inputs.election.name}: sources", ""]
    if inputs.generated:
        lines += [
            f"Generated with seed {inputs.seed}: {', '.join(sorted(inputs.generated))}. "
            "Every figure that rests on these parts is generated, not published.",
            "",
        ]
    for kind, heading in headings.items():
        texts = [n.text for n in inputs.notes if n.kind == kind]
        if texts:
            lines += [f"## {heading}", "", *(f"- {t}" for t in texts), ""]
    return "\n".join(lines)


def _q(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
