"""Election forensics as text (Rich renderables): each finding with what it measures, what
it does not prove, and where the method comes from; on generated data, a warning first."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from saylau.analysis.fingerprint import MIN_STATIONS as FINGERPRINT_MIN
from saylau.analysis.forensics import Forensics
from saylau.analysis.integer_percent import MIN_STATIONS as INTEGER_MIN
from saylau.analysis.integer_percent import Triple
from saylau.rules.decision import BASE_LABELS

EDGE_RULE = (
    "a percentage within 0.05 points of a whole number is integer, the edge included "
    "(859 of 2,000 = 42.95% counts)"
)


def render_forensics(found: Forensics) -> RenderableType:
    """The four findings in order, each explained."""
    parts: list[RenderableType] = []
    if found.warning is not None:
        parts.append(Text(found.warning, style="bold red" if found.generated else "yellow"))
    stations = found.stations
    entry = found.names.get(stations.entry, stations.entry)
    why = "the most votes" if stations.entry == stations.leader else "chosen"
    if stations.entry == stations.leader and stations.protocols == 0:
        why = "the first on the ballot: no protocol was accepted, so no vote was counted"
    parts += [
        Text(f"{found.name}: forensics of {stations.contest_id}, round {stations.round}", "bold"),
        Text(
            f"law {found.law_id}; {stations.protocols:,} accepted protocols studied "
            f"({stations.flagged:,} of them flagged for review), {stations.rejected:,} rejected "
            f"and left out, {stations.missing:,} missing"
        ),
        Text(
            f"studied list: {entry} ({stations.entry}; {why}); its share is of the "
            f"{BASE_LABELS.get(stations.base_name, stations.base_name)}"
        ),
    ]
    parts += _fingerprint(found) + _integer(found) + _digits(found) + _turnout(found)
    return Group(*parts)


def _explained(found: Forensics, key: str) -> list[RenderableType]:
    finding = found.findings[key]
    return [
        Text(f"  measures: {finding.measures}", style="dim"),
        Text(f"  does not prove: {finding.does_not_prove}", style="dim"),
        Text(f"  source: {finding.source}", style="dim"),
    ]


def _fingerprint(found: Forensics) -> list[RenderableType]:
    shape = found.fingerprint
    placed = (
        f"  {shape.stations:,} stations in 1-point bins ({shape.no_base:,} without voters "
        f"or base, {shape.over_100:,} above 100%, apart)"
    )
    if shape.stations < FINGERPRINT_MIN:
        placed += f"; too few stations for a shape to read (it needs {FINGERPRINT_MIN:,})"
    else:
        matrix = shape.matrix()
        share, turnout = divmod(int(matrix.argmax()), matrix.shape[1])
        high = int(matrix[:, 90:].sum())
        placed += (
            f"; the densest bin is turnout {turnout}-{turnout + 1}%, share "
            f"{share}-{share + 1}%; {high:,} stations have a turnout of 90% or more"
        )
    return [
        Text(""),
        Text("1. Turnout-share fingerprint", style="bold"),
        Text(placed),
        *_explained(found, "fingerprint"),
    ]


def _row(label: str, values: Triple, places: int) -> list[str]:
    return [label, *(f"{v:,.{places}f}" for v in (values.turnout, values.share, values.either))]


def _integer(found: Forensics) -> list[RenderableType]:
    test = found.integer_percent
    left_out = "; ".join(f"{reason}: {n:,}" for reason, n in test.excluded.items() if n)
    table = Table(title_justify="left")
    for header in ("", "turnout", "share", "either"):
        table.add_column(header, justify="left" if not header else "right")
    table.add_row(*_row("observed", test.observed, 0))
    table.add_row(*_row("expected (mean of resamples)", test.expected, 1))
    table.add_row(*_row("spread (their standard deviation)", test.spread, 1))
    table.add_row(*_row("excess (observed - expected)", test.excess, 1), style="bold")
    spreads = [
        f"{getattr(test.excess, k) / s:+.1f}" if (s := getattr(test.spread, k)) else "-"
        for k in ("turnout", "share", "either")
    ]
    table.add_row("excess in spreads", *spreads)
    return [
        Text(""),
        Text("2. Integer percentages", style="bold"),
        Text(
            f"  {test.stations_included:,} stations included (at least 100 registered, ballots "
            f"received, turnout and share at most 99%)"
            + (f"; left out: {left_out}" if left_out else "")
        ),
        *_too_few_or(table, test.stations_included),
        Text(
            f"  {EDGE_RULE}; {test.draws:,} binomial resamples of every included station, "
            f"seed {test.seed}; exact expectation {test.expected_exact.turnout:,.1f} / "
            f"{test.expected_exact.share:,.1f} / {test.expected_exact.either:,.1f}"
        ),
        *_explained(found, "integer_percent"),
    ]


def _too_few_or(table: Table, included: int) -> list[RenderableType]:
    """The test's table, or why there is none: below INTEGER_MIN stations an excess of round
    percentages says nothing, so it is shown but marked as not to be read."""
    if included == 0:
        return [Text("  no station to test: nothing to show")]
    if included < INTEGER_MIN:
        warning = f"  too few stations for the test (it needs {INTEGER_MIN:,}): do not read"
        return [table, Text(f"{warning} its excess as a finding", style="yellow")]
    return [table]


def _digits(found: Forensics) -> list[RenderableType]:
    table = Table()
    for header in ("list", "counts", "below 10", "median", "chi-square (9 df)", "p-value"):
        table.add_column(header, justify="left" if header == "list" else "right")
    for test in found.last_digits:
        small = test.median is not None and test.median < 100
        table.add_row(
            found.names.get(test.entry, test.entry)[:40],
            f"{test.counts:,}",
            f"{test.below_10:,}",
            "-" if test.median is None else f"{test.median:,.0f}" + (" *" if small else ""),
            "-" if test.chi_square is None else f"{test.chi_square:.2f}",
            "too few counts" if test.p_value is None else f"{test.p_value:.4f}",
        )
    return [
        Text(""),
        Text("3. Last digits of the vote counts (counts of 10 or more)", style="bold"),
        table,
        Text(
            "  * most counts below 100: the last digits of small counts need not be uniform "
            "even when counted honestly",
            style="dim",
        ),
        *_explained(found, "last_digits"),
    ]


def _turnout(found: Forensics) -> list[RenderableType]:
    result = found.turnout
    table = Table()
    for header in (
        result.level,
        "stations",
        "lower quartile",
        "median",
        "upper quartile",
        "distance",
    ):
        table.add_column(header, justify="left" if header == result.level else "right")
    for area in result.areas[:10]:
        table.add_row(
            area.name,
            f"{area.stations:,}",
            f"{100 * area.lower_quartile:.1f}%",
            f"{100 * area.median:.1f}%",
            f"{100 * area.upper_quartile:.1f}%",
            "not ranked" if area.distance is None else f"{area.distance:.3f}",
        )
    names = {a.area_id: a.name for a in result.areas}
    named = ", ".join(names[a] for a in result.most_distant) or "none (too few stations)"
    return [
        Text(""),
        Text(f"4. Turnout by {result.level}", style="bold"),
        Text(
            f"  {result.stations:,} stations with at least 100 registered voters and no more "
            f"ballots issued than voters ({result.left_out:,} left out); furthest from the "
            f"rest (Kolmogorov-Smirnov distance): {named}"
        ),
        table,
        *([Text(f"  ... and {len(result.areas) - 10} more")] if len(result.areas) > 10 else []),
        Text("  an area with fewer than 20 stations is not ranked", style="dim"),
        *_explained(found, "turnout"),
    ]
