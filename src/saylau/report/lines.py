"""The lines of text beside a chamber's table, in the current language: which law decided
it, its voters and turnout, its seats, its rounds, and every seat not held."""

from __future__ import annotations

from saylau.report import i18n
from saylau.report.cells import compared as _compared
from saylau.report.cells import marked as _marked
from saylau.report.cells import n as _n
from saylau.report.cells import seats as _seats
from saylau.report.i18n import N_
from saylau.report.i18n import gettext as _
from saylau.results import ChamberResult
from saylau.rules.exact import fixed

TIER_WORDS = {"list": N_("list"), "district": N_("district"), "indirect": N_("indirect")}
"""The tiers (saylau.results' Tier) as a line of a seat not held names them."""


def law_line(chamber: ChamberResult) -> str:
    """Which law decided the chamber: its id, name and its file's SHA-256 (the first 16 digits;
    the JSON holds all of them), in the current language."""
    law = chamber.law
    if law is None:
        return _("%(chamber)s: law not named") % {"chamber": chamber.name}
    said = {"chamber": chamber.name, "law": law.law_id, "name": law.name, "sha": law.sha256[:16]}
    return _("%(chamber)s: law %(law)s, %(name)s (sha256 %(sha)s)") % said


def chamber_lines(chamber: ChamberResult, *, marks: bool = False) -> list[str]:
    """Registered voters, turnout and its change, the seats, the rounds, and every seat not
    held: vacant, or not elected in this data; in the current language. With `marks`, each
    compared figure carries its kind's mark."""

    def mark(figure: str, value: int) -> str:
        return _compared(chamber, figure, _seats(value)) if marks else _seats(value)

    lines = []
    if chamber.parties and chamber.registered is not None and chamber.took_part is not None:
        turnout = chamber.turnout
        text = _("Registered voters %(registered)s; turnout %(took_part)s") % {
            "registered": _marked(chamber, "registered", _n(chamber.registered), marks),
            "took_part": _marked(chamber, "took_part", _n(chamber.took_part), marks),
        }
        if turnout is not None:
            share = _marked(chamber, "turnout", f"{i18n.decimal(fixed(100 * turnout))}%")
            text += f" ({share}"
            before = chamber.turnout_before
            if before is not None:
                places = chamber.turnout_before_places
                change = {
                    "change": i18n.decimal(fixed(100 * (turnout - before), places)),
                    "before": i18n.decimal(fixed(100 * before, places)),
                }
                text += ", " + _("%(change)s points on the previous election's %(before)s%%") % (
                    change
                )
                if chamber.turnout_before_derived:
                    text += f", {i18n.say(chamber.turnout_before_derived)}"
            text += ")"
        lines.append(text)
    seats = {
        "filled": mark("seats_filled", chamber.seats_filled),
        "total": mark("seats_total", chamber.seats_total),
        "contested": mark("seats_contested", chamber.seats_contested),
        "vacant": _seats(chamber.seats_vacant),
        "not_in_data": _seats(chamber.seats_not_in_data),
        "not_decided": _seats(chamber.seats_not_decided),
        "majority": mark("majority", chamber.majority),
    }
    filled = _("Seats filled %(filled)s of %(total)s")
    if chamber.seats_contested:
        filled = _("Seats filled %(filled)s of the %(contested)s contested (%(total)s in all)")
    parts = [filled, _("%(vacant)s vacant"), _("%(not_in_data)s not elected in this data")]
    if chamber.seats_not_decided:
        parts.append(_("%(not_decided)s not decided"))
    parts.append(_("a majority is %(majority)s seats"))
    lines.append("; ".join(part % seats for part in parts))
    if chamber.runoffs or chamber.districts_decided_round1:
        rounds = {
            "round1": mark("districts_decided_round1", chamber.districts_decided_round1),
            "runoffs": mark("runoffs", chamber.runoffs),
            "new": mark("new_voting", chamber.new_voting),
        }
        text = _(
            "Districts decided in round 1: %(round1)s; second rounds: %(runoffs)s; "
            "new voting: %(new)s"
        )
        text %= rounds
        runoff = chamber.runoff_turnout
        if runoff is not None:
            shown = _marked(chamber, "runoff_turnout", f"{i18n.decimal(fixed(100 * runoff))}%")
            text += "; " + _("second-round turnout %(turnout)s") % {"turnout": shown}
        lines.append(text)
    for vacancy in chamber.vacancies:
        said = {"seats": _seats(vacancy.seats), "contest": vacancy.contest_id}
        vacant = _("Vacant (%(seats)s): %(contest)s") % said
        lines.append(f"{vacant}: {i18n.say(vacancy.reason)}")
    for gap in chamber.gaps:
        said = {"seats": _seats(gap.seats), "tier": _(TIER_WORDS.get(gap.tier, gap.tier))}
        what = (
            _("Not decided (%(seats)s, %(tier)s tier)")
            if gap.kind == "not_decided"
            else _("Not elected in this data (%(seats)s, %(tier)s tier)")
        )
        lines.append(f"{what % said}: {i18n.say(gap.reason)}")
    return lines
