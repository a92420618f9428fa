"""A counterfactual comparison as text (Rich renderables): one row per law.

Each party's cell reads `list/total`: its list seats, then all the seats it holds. The real
law's row is marked `real`. Below the table, each other row says which setting moved which
seats, stepping from the real law in the order method, threshold, district rule.
"""

from __future__ import annotations

from fractions import Fraction

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from saylau.analysis.compare import Comparison, Replay
from saylau.analysis.compare_text import percent_number, shift_text
from saylau.rules.exact import fixed


def _threshold(row: Replay) -> str:
    return "-" if row.threshold is None else f"{percent_number(row.threshold)}%"


def _label(row: Replay, rules: bool = True) -> str:
    """A row's law in a few words: method and threshold, and its district rule where the
    rules differ between rows (or the law has no list tier)."""
    label = " ".join(p for p in (row.method, _threshold(row) if row.method else None) if p)
    if rules or not label:
        label = f"{label} {row.district_rule or ''}".strip()
    return label


def render_comparison(comparison: Comparison) -> RenderableType:
    """The table of laws, the seats each moved against the real law, and the notes."""
    parts: list[RenderableType] = [
        Text(f"{comparison.name}: {comparison.chamber_id} replayed under other laws", style="bold"),
        Text(f"the law as held: {comparison.law.law_id}, {comparison.law.name}"),
    ]
    if comparison.generated:
        parts.append(
            Text(
                "Some inputs are generated (" + ", ".join(sorted(comparison.generated)) + "): "
                "seats that rest on them are the generator's, not the election's",
                style="yellow",
            )
        )
    parts.append(_table(comparison))
    rules = len({row.district_rule for row in comparison.rows}) > 1
    changed = [row for row in comparison.rows if row.shifts]
    if changed:
        parts.append(Text("Against the real law, step by step:", style="bold"))
    named: set[tuple[str, str, str]] = set()
    for row in changed:
        parts.append(Text(f"  {_label(row, rules)}"))
        for shift in row.shifts:
            parts.append(Text(f"    {shift_text(shift)}"))
            key = (shift.setting, shift.before, shift.after)
            if shift.contests and key in named:
                parts.append(Text("      the same districts as above"))
            elif shift.contests:
                named.add(key)
                parts.extend(
                    Text(f"      {c.contest_id}: {c.before} -> {c.after}") for c in shift.contests
                )
    failed = [row for row in comparison.rows if row.error is not None]
    for row in failed:
        parts.append(Text(f"  {_label(row, rules)}: not decided: {row.error}", style="red"))
    names = ", ".join(f"{pid} = {name}" for pid, name in comparison.parties)
    parts.append(Text(f"Parties: {names}"))
    parts.append(
        Text(
            "Indices of the list tier (votes against list seats): Gallagher least squares, "
            "Loosemore-Hanby, effective number of parties by votes and by seats "
            "(Laakso-Taagepera); wasted: list votes below the threshold, as % of the base of "
            "the list percentages" + _against_all(comparison)
        )
    )
    parts.extend(Text(f"Note: {note}") for note in comparison.notes)
    return Group(*parts)


def _table(comparison: Comparison) -> Table:
    """One row per law; a party column for every party that holds a seat in some row."""
    table = Table(title="list seats / total seats by party", title_justify="left")
    rows = comparison.rows
    rules = len({row.district_rule for row in rows}) > 1
    vacant = any(row.chamber is not None and row.chamber.seats_vacant for row in rows)
    table.add_column("law", no_wrap=True)
    if vacant:
        table.add_column("vacant", justify="right")
    parties = [pid for pid, _ in comparison.parties if any(r.total_seats.get(pid) for r in rows)]
    for pid in parties:
        table.add_column(pid, justify="right")
    for header in ("Gallagher", "L-H", "ENP v/s", "wasted"):
        table.add_column(header, justify="right")
    for row in rows:
        label = _label(row, rules)
        cells = [f"{label} (real)" if row.real else label]
        if vacant:
            cells.append("" if row.chamber is None else str(row.chamber.seats_vacant))
        listed, held = row.list_seats, row.total_seats
        for pid in parties:
            cells.append("" if row.chamber is None else f"{listed.get(pid, 0)}/{held.get(pid, 0)}")
        found = row.list_indices
        if found is None:
            cells += ["not decided" if row.error else "-", "", "", ""]
        else:
            enp = f"{_maybe(found.effective_parties_votes)}/{_maybe(found.effective_parties_seats)}"
            cells += [
                found.gallagher,
                fixed(found.loosemore_hanby),
                enp,
                _percent(found.wasted_below_threshold),
            ]
        table.add_row(*cells, style="bold" if row.real else None)
    return table


def _maybe(value: Fraction | None) -> str:
    return "-" if value is None else fixed(value)


def _percent(value: Fraction | None) -> str:
    return "-" if value is None else f"{fixed(100 * value)}%"


def _against_all(comparison: Comparison) -> str:
    """Against all is the same share under every law: said once."""
    found = comparison.real.list_indices
    if found is None or not found.wasted_against_all:
        return ""
    return f"; against all: {_percent(found.wasted_against_all)} under every law"
