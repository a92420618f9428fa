"""The report's tables as text cells: the infobox, the indices, the territories, the notes.

Every number is rounded here, once, from exact figures; a figure that rests on generated
data carries the mark. The page template only lays the cells out.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from saylau.analysis.indices import Indices, chamber_indices, list_tier_indices
from saylau.analysis.summary import DATE_LABELS, POPULAR_DATES, infobox_parties
from saylau.protocol.lines import EntryId
from saylau.registry.model import Named
from saylau.report import i18n
from saylau.report.charts_turnout import area_turnout
from saylau.report.data import ReportData
from saylau.report.figures import marked
from saylau.report.i18n import gettext as _
from saylau.report.table import ordered_parties, signed
from saylau.report.words import base_label
from saylau.results import GENERATED_MARK, ChamberResult
from saylau.rules.exact import fixed, percent_of

REVIEWS_SHOWN = 20
"""Rejected and flagged protocols listed on the page; every one is in the data exports."""


@dataclass(frozen=True)
class Grid:
    """A table: a title, its header cells, its rows (each may name a party for its colour),
    and a note under it."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str | None, tuple[str, ...]], ...]
    note: str = ""
    text_columns: int = 1
    """How many columns, from the left, hold words rather than figures."""


def infobox(data: ReportData, chamber: ChamberResult) -> list[tuple[str, str]]:
    """(label, value) lines of the infobox's head: dates, seats, majority, voters, turnout."""
    facts = data.facts
    dates = data.election.dates
    days = sorted((dates[key], DATE_LABELS[key]) for key in POPULAR_DATES if key in dates)
    lines = [(_(label.capitalize()), i18n.day(when)) for when, label in days]
    if facts.country:
        lines.insert(0, (_("Country"), facts.country))
    if facts.previous_election:
        lines.append((_("Previous election"), facts.previous_election))
    if facts.next_election:
        lines.append((_("Next election"), facts.next_election))
    seats = {"seats": chamber.seats_total, "chamber": chamber.name}
    lines.append((_("Seats for election"), _("all %(seats)s seats in the %(chamber)s") % seats))
    lines.append((_("Majority"), _seats(chamber.majority)))
    if chamber.registered is not None:
        registered = i18n.number(chamber.registered)
        lines.append((_("Registered"), marked(registered, chamber.generated("registered"))))
    turnout = chamber.turnout
    if turnout is not None:
        text = f"{i18n.decimal(fixed(100 * turnout, 1))}%"
        before = chamber.turnout_before
        if before is not None:
            change = i18n.decimal(fixed(100 * (turnout - before), chamber.turnout_before_places))
            moved = _("%(change)s pp") % {"change": change.lstrip("-")}
            text += f" ({'▲' if turnout > before else '▼'} {moved})"
        lines.append((_("Turnout"), marked(text, chamber.generated("took_part"))))
    return lines


def _seats(count: int) -> str:
    return i18n.ngettext("%(num)s seat", "%(num)s seats", count) % {"num": count}


def infobox_grid(data: ReportData, chamber: ChamberResult) -> Grid:
    """The parties of the infobox: leader and since when, seats before, seats now and their
    change, list votes and their share."""
    rows = []
    for found in infobox_parties(chamber, data.facts):
        party = found.party
        pid = party.party_id
        leader = found.leader or ""
        since = data.facts.party(pid).leader_since
        if found.leader_since and since:
            leader = _("%(leader)s, since %(date)s") % {"leader": leader, "date": i18n.day(since)}
        seats = marked(str(party.total_seats), chamber.generated(f"total_seats.{pid}"))
        change = signed(party.seat_change)
        votes = ""
        if party.list_votes is not None:
            votes = marked(i18n.number(party.list_votes), chamber.generated(f"list_votes.{pid}"))
            if found.share is not None:
                votes += f" ({i18n.decimal(fixed(100 * found.share, 1))}%)"
        last = _(found.last_election) if found.last_election == "new party" else found.last_election
        name = data.names_in(i18n.language()).get(pid, found.name)
        rows.append((pid, (name, leader, last, f"{seats} ({change})", votes)))
    headers = (
        _("Party"),
        _("Leader"),
        _("Last election"),
        _("Seats (change)"),
        _("List votes (%)"),
    )
    base = base_label(chamber.percent_base or "")
    note = _("%% of the %(base)s, to one decimal as the infobox prints it.") % {"base": base}
    return Grid("", headers, tuple(rows), note, text_columns=2)


def officers(data: ReportData) -> list[tuple[str, str]]:
    """The office holder before and after the election (the chamber's chairman)."""
    facts = data.facts
    found = []
    for when, officer in (("before", facts.before), ("after", facts.after)):
        if officer is not None:
            pid = officer.party_id or ""
            party = data.names_in(i18n.language()).get(pid) or data.names.get(pid, pid)
            office = {"office": facts.office_title or _("Officer")}
            found.append(
                (
                    (_("%(office)s before") if when == "before" else _("%(office)s after"))
                    % office,
                    f"{officer.name} ({party})" if party else officer.name,
                )
            )
    return found


def indices_grid(data: ReportData, chamber: ChamberResult) -> Grid:
    """The indices of the list tier and of the whole chamber, each rounded once."""
    lists = data.result.lists_of(chamber.chamber_id)
    columns: list[Indices] = [chamber_indices(chamber)]
    headers = ["", _("Whole chamber")]
    if lists:
        columns.insert(0, list_tier_indices(chamber, lists[0]))
        headers.insert(1, _("List tier"))

    def shown(value: Fraction | None, scale: int = 1) -> str:
        return "" if value is None else fixed(scale * value)

    rows = [
        (
            _("Effective number of parties, by votes"),
            [shown(c.effective_parties_votes) for c in columns],
        ),
        (
            _("Effective number of parties, by seats"),
            [shown(c.effective_parties_seats) for c in columns],
        ),
        (_("Gallagher least-squares index"), [c.gallagher for c in columns]),
        (_("Loosemore-Hanby index"), [fixed(c.loosemore_hanby) for c in columns]),
        (
            _("Wasted list votes below the threshold, %"),
            [shown(c.wasted_below_threshold, 100) for c in columns],
        ),
    ]
    if chamber.against_all is not None:
        against = _("Votes against all, %")
        rows.append((against, [shown(c.wasted_against_all, 100) for c in columns]))
    note = _(
        "Laakso-Taagepera effective number of parties; Gallagher and Loosemore-Hanby in "
        "percentage points. The list tier compares each list's votes with its list seats; "
        "the whole chamber compares list votes with all seats held. Wasted votes are shares "
        "of the %(base)s."
    )
    return Grid(
        _("Indices"),
        tuple(headers),
        tuple((None, (label, *cells)) for label, cells in rows),
        note % {"base": base_label(chamber.percent_base or "")},
    )


def territory_grid(data: ReportData, chamber: ChamberResult) -> Grid | None:
    """Round 1 of the chamber's principal ballot by territory (by district, where it lies in
    one territory): protocols, voters, turnout, each entry's votes and share."""
    areas = area_turnout(data, chamber)
    if areas is None:
        return None
    listed = [p for p in ordered_parties(chamber) if p.list_votes is not None]
    base_name = chamber.percent_base or "took_part"
    district = areas.level == "district"
    headers = [_("District") if district else _("Territory"), _("Protocols"), _("Rejected")]
    headers += [_("Missing"), _("Registered"), _("Took part"), _("Turnout %")]
    named = data.names_in(i18n.language())
    headers += [named.get(p.party_id, p.name) for p in listed]
    with_against = chamber.against_all is not None
    headers += [_("Against all")] if with_against else []
    headers += [_("Invalid")]
    generated = data.below_nation_generated
    places: dict[str, Named] = {v.territory_id: v for v in data.election.territories}
    places |= {v.district_id: v for v in data.election.districts} if district else {}
    n = i18n.number
    rows = []
    for area, total in areas.totals.items():
        base = total.base(base_name) if listed else total.took_part
        place = places.get(area)
        cells = [place.name_in(i18n.language()) if place else areas.names.get(area, area)]
        cells += [n(total.protocols), n(total.rejected), n(total.missing), n(total.registered)]
        cells += [
            n(total.took_part),
            i18n.decimal(percent_of(total.took_part, total.registered) or ""),
        ]
        for party in listed:
            votes = total.votes.get(EntryId(party.party_id), 0)
            cells.append(f"{n(votes)} ({i18n.decimal(percent_of(votes, base) or '-')}%)")
        if with_against:
            cells.append(n(total.against_all or 0))
        cells.append(n(total.invalid))
        rows.append((None, tuple(marked(c, generated and at > 0) for at, c in enumerate(cells))))
    note = _("List ballot, round 1, accepted protocols; list shares are of the %(base)s.")
    note %= {"base": base_label(base_name)}
    if generated:
        note += f" {GENERATED_MARK} " + _("Every figure below the nation rests on generated data.")
    title = (
        _("%(chamber)s: results by district")
        if district
        else _("%(chamber)s: results by territory")
    )
    return Grid(title % {"chamber": chamber.name}, tuple(headers), tuple(rows), note)


def notes(data: ReportData) -> list[tuple[str, list[str]]]:
    """The notes of the run by kind, the protocols kept for review, and the facts' sources."""
    result = data.result
    groups: dict[str, list[str]] = {}
    titles = {
        "conflict": _("Data conflicts"),
        "generated": _("Generated data") + f" {GENERATED_MARK}",
        "assumption": _("Assumptions"),
        "source": _("Sources"),
        "unused": _("Inputs that did not count"),
    }
    for note in result.notes:
        groups.setdefault(titles.get(note.kind, note.kind), []).append(data.say(note.text))
    for status, found in (
        (_("%(count)s protocol(s) rejected, not counted"), result.rejected),
        (_("%(count)s protocol(s) counted and flagged"), result.flagged),
    ):
        if found:
            lines = [data.say(r.messages[0]) for r in found[:REVIEWS_SHOWN]]
            if len(found) > REVIEWS_SHOWN:
                more = i18n.number(len(found) - REVIEWS_SHOWN)
                lines.append(
                    _("... and %(count)s more, every one in the data exports") % {"count": more}
                )
            groups[status % {"count": i18n.number(len(found))}] = lines
    if data.facts.sources:
        infobox = [_("Infobox %(source)s") % {"source": s} for s in data.facts.sources]
        groups.setdefault(_("Sources"), []).extend(infobox)
    return list(groups.items())
