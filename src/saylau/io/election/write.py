"""Write an election directory (the layout of saylau.io.election.read) that reads back the same."""

from __future__ import annotations

from pathlib import Path

from saylau.inputs import ElectionInputs
from saylau.io.election.columns import COLUMNS
from saylau.io.election.rows import NAME_COLUMNS, name_columns
from saylau.io.protocols.files import write_protocols
from saylau.io.table_files import write_rows
from saylau.io.text_table import write_text_table
from saylau.registry.model import utc_offset_text
from saylau.rules.exact import fixed


def write_election_dir(inputs: ElectionInputs, root: Path, *, protocol_format: str = "csv") -> None:
    """Write every value of a run as an election directory that reads back the same."""
    election = inputs.election
    root.mkdir(parents=True, exist_ok=True)
    (root / "election.toml").write_text(_toml(inputs), encoding="utf-8")
    rows: dict[str, list[dict[str, object]]] = {
        "parties.csv": [
            {**vars(p), "members": ";".join(p.members), **name_columns(p)} for p in election.parties
        ],
        "lists.csv": [vars(c) for c in election.lists],
        "territories.csv": [
            {**vars(t), "utc_offset": _offset(t.utc_offset), **name_columns(t)}
            for t in election.territories
        ],
        "districts.csv": [{**vars(d), **name_columns(d)} for d in election.districts],
        "contests.csv": [vars(c) for c in election.contests],
        "candidates.csv": [{**vars(c), **name_columns(c)} for c in election.candidates],
        "college.csv": [
            {**vars(b), "candidate_id": candidate, "votes": votes}
            for b in inputs.college_ballots
            for candidate, votes in b.votes.items()
        ],
        "invalidations.csv": [vars(i) for i in inputs.invalidations],
        "withdrawals.csv": [vars(w) for w in inputs.withdrawals],
        "resolutions.csv": [vars(r) for r in inputs.resolutions],
        "notes.csv": [vars(n) for n in inputs.notes],
    }
    for name, values in rows.items():
        required, optional = COLUMNS[name]
        unnamed = set(SPARSE) - {c for v in values for c in v if v[c]}  # left out
        write_rows(root / name, [c for c in (*required, *optional) if c not in unnamed], values)
    if inputs.preferences:  # only an open-list election has the file
        required, optional = COLUMNS["preferences.csv"]
        values = [vars(p) for p in inputs.preferences]
        write_rows(root / "preferences.csv", [*required, *optional], values)
    write_text_table(election.stations, root / "stations.csv")
    (root / "sources.md").write_text(_sources(inputs), encoding="utf-8")
    folder = root / "protocols"
    folder.mkdir(exist_ok=True)
    for (contest, round_no), table in sorted(inputs.protocols.items()):
        write_protocols(table, folder / f"{contest}.r{round_no}.{protocol_format}")


SPARSE = (*NAME_COLUMNS, "utc_offset")
"""Optional columns written only where some row fills them."""


def _offset(minutes: int | None) -> str:
    return "" if minutes is None else utc_offset_text(minutes)


def _toml(inputs: ElectionInputs) -> str:
    election = inputs.election
    lines = [
        f"id = {_q(election.election_id)}",
        f"name = {_q(election.name)}",
        *(f"name_{code} = {_q(name)}" for code, name in election.names),
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
        if chamber.applied_law is not None:
            lines.append(f"applied_law = {_q(chamber.applied_law)}")
        lines += [f"name_{code} = {_q(name)}" for code, name in chamber.names]
    published = inputs.published
    lines += ["", "[published]"]
    if published.turnout_before is not None:
        shown = fixed(100 * published.turnout_before, published.turnout_before_places)
        lines.append(f"turnout_before = {_q(shown + '%')}")
    if published.turnout_before_derived is not None:
        lines.append(f"turnout_before_derived = {_q(published.turnout_before_derived)}")
    if published.figures:
        lines += ["", "[published.figures]"]
        lines += [f"{_q(k)} = {v}" for k, v in sorted(published.figures.items())]
    if published.sources:
        lines += ["", "[published.sources]"]
        lines += [f"{_q(k)} = {_q(v)}" for k, v in sorted(published.sources.items())]
    if published.kinds:
        lines += ["", "[published.kinds]"]
        lines += [f"{_q(k)} = {_q(v)}" for k, v in sorted(published.kinds.items())]
    return "\n".join(lines) + "\n"


def _sources(inputs: ElectionInputs) -> str:
    """Where the figures come from and what was generated, for a reader of the files."""
    headings = {
        "source": "Sources of the real figures",
        "generated": "Generated (never published; seeded and reproducible)",
        "conflict": "Data conflicts, reported and not smoothed over",
        "assumption": "Assumptions",
        "unused": "Inputs that did not count",
        "missing": "Stations that sent no protocol",
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
