"""The public results pages: the dashboard (and the fragment it swaps in as the count moves
on), a district, a station. Everything is shown by name, in words; ids only in links.

The figures come from `saylau.service.board`; the templates word them and round each share
once, for display (the `percent` filter).
"""

from __future__ import annotations

import threading
from decimal import Decimal
from fractions import Fraction
from typing import Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.law.form import LINES
from saylau.protocol.lines import LINE_LABELS
from saylau.registry.colours import party_colours
from saylau.registry.model import Contest
from saylau.report import i18n
from saylau.report.hemicycle import hemicycle, majilis_segments
from saylau.report.table import ordered_parties
from saylau.rules.exact import fixed
from saylau.service.api.deps import settings_of
from saylau.service.board import Board, named, territory_rows
from saylau.service.db import reading
from saylau.service.election import place
from saylau.service.errors import NotFound
from saylau.service.models import ProtocolRow
from saylau.service.permissions import require
from saylau.service.protocols import parse
from saylau.service.verification import last_verification
from saylau.service.web.pages import viewer
from saylau.service.web.render import ENV, language_of, page

router = APIRouter(include_in_schema=False)


def percent(share: Fraction | None, places: int = 2) -> str:
    """A share as a percentage rounded half up, once, for display, written as the current
    language writes decimals: 1/2 -> "50.00" (en), "50,00" (ru)."""
    if share is None:
        return ""
    shown = Decimal(fixed(share * 100, places))
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(shown, format=pattern, locale=i18n.language())


def bar(share: Fraction | None) -> str:
    """A bar's width in percent of its track, for a style attribute (never above 100)."""
    return "0" if share is None else fixed(min(share, Fraction(1)) * 100, 2)


ENV.filters["percent"] = percent
ENV.filters["bar"] = bar


def contest_title(board: Board, contest: Contest, round: int) -> dict[str, Any]:
    """What a template words a contest's round by: its chamber, tier, district and round."""
    district = board.registry.district_by_id.get(contest.district_id or "")
    return {
        "chamber": board.chamber_name(contest.chamber),
        "tier": contest.tier,
        "district": district.name if district else "",
        "round": round,
    }


_svg: dict[tuple[str, int, str], tuple[str, list[dict[str, Any]]]] = {}
_lock = threading.Lock()


def seat_diagram(board: Board, url: str) -> tuple[str, list[dict[str, Any]]]:
    """The seat diagram (inline SVG) of the first chamber with parties, and its legend in
    words (party, colour, seats), in the current language; made once per state of the
    count and language."""
    key = (url, board.outcome.seq, i18n.language())
    with _lock:
        if key in _svg:
            return _svg[key]
    svg, legend = "", []
    result = board.result
    for chamber in result.chambers if result is not None else ():
        if not chamber.parties:
            continue
        rows = list(ordered_parties(chamber))
        colours = party_colours(board.registry.parties, [p.party_id for p in rows])
        segments = majilis_segments(chamber, rows, colours)
        title = i18n.gettext("%(chamber)s: seats as the count stands") % {
            "chamber": board.chamber_name(chamber.chamber_id)
        }
        svg = hemicycle(
            "hemicycle", title, segments, chamber.seats_total, chamber.majority
        ).inline_svg
        legend = [
            {
                "key": s.key,
                "name": named(board.registry, s.key, s.label),
                "colour": s.colour,
                "seats": s.seats,
            }
            for s in segments
        ]
        missing = chamber.seats_total - sum(s.seats for s in segments)
        if missing > 0:
            legend.append({"key": "", "name": None, "colour": "#000000", "seats": missing})
        break
    with _lock:
        for stale in [k for k in _svg if k[:2] != key[:2]]:
            del _svg[stale]
        _svg[key] = (svg, legend)
    return svg, legend


def dashboard_values(session: Session, url: str, language: str) -> dict[str, Any]:
    board = Board(session, url)
    with i18n.using(language):
        svg, legend = seat_diagram(board, url)
    lists = [
        {"title": contest_title(board, c, 1), **board.votes(c, 1, list(board.counts.stations))}
        for c in board.registry.contests
        if c.tier == "list"
    ]
    return {
        "election": {"name": board.registry.name},
        "seq": board.outcome.seq,
        "updated": board.updated,
        "waits": board.waits,
        "chambers": board.seats(),
        "svg": svg,
        "legend": legend,
        "nation": board.groups(),
        "chamber_names": {c.chamber_id: c.name for c in board.registry.chambers},
        "lists": lists,
        "territories": territory_rows(board),
        "districts": board.district_rows(),
        "audit": last_verification(session),
    }


def _dashboard(request: Request, name: str) -> HTMLResponse:
    who, csrf = viewer(request)
    require(who, "results.read")
    url = settings_of(request).url
    with reading(url) as session:
        values = dashboard_values(session, url, language_of(request))
    return page(request, name, who, csrf=csrf, **values)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    """The results as the count stands: seats, stations reporting, votes, every district's
    state, and what a stage waits for."""
    return _dashboard(request, "dashboard.html.j2")


@router.get("/dashboard/decided", response_class=HTMLResponse)
def decided(request: Request) -> HTMLResponse:
    """The dashboard's figures as a fragment, which the page swaps in when the count moves."""
    return _dashboard(request, "_decided.html.j2")


def district_values(session: Session, url: str, district_id: str) -> dict[str, Any]:
    board = Board(session, url)
    district = board.registry.district_by_id.get(district_id)
    if district is None:
        raise NotFound(f"district {district_id} is not in the registry")
    territory = board.registry.territory_by_id.get(district.territory_id)
    sections = []
    keys = []
    for contest in board.registry.contests:
        if contest.district_id not in (None, district_id) or contest.tier == "college":
            continue
        for round in board.rounds(contest):
            shown = board.votes(contest, round, [district_id])
            state, who = None, []
            if contest.tier != "list":
                _, _, state = board.district_state_in(contest, round, district_id)
                who = board.who(contest, state)
            sections.append(
                {
                    "title": contest_title(board, contest, round),
                    "state": state,
                    "who": who,
                    **shown,
                }
            )
            keys.append((contest.contest_id, round, contest_title(board, contest, round)))
    counted = set(
        session.execute(
            select(ProtocolRow.station_id, ProtocolRow.contest_id, ProtocolRow.round).where(
                ProtocolRow.counted
            )
        ).all()
    )
    stations = sorted(
        s
        for s, d in zip(
            board.registry.stations.column("station_id").to_pylist(),
            board.registry.stations.column("district_id").to_pylist(),
            strict=True,
        )
        if d == district_id
    )
    return {
        "district": {"district_id": district_id, "name": district.name},
        "territory": territory.name if territory else "",
        "sections": sections,
        "columns": [title for _, _, title in keys],
        "stations": [
            {"station_id": s, "in": [(s, c, r) in counted for c, r, _ in keys]} for s in stations
        ],
        "updated": board.updated,
    }


@router.get("/districts/{district_id}", response_class=HTMLResponse)
def district_page(district_id: str, request: Request) -> HTMLResponse:
    """A district: every contest's round in it, its state, votes and lines, and its stations,
    those not yet in as well."""
    who, csrf = viewer(request)
    require(who, "results.read")
    url = settings_of(request).url
    with reading(url) as session:
        values = district_values(session, url, district_id)
    return page(request, "district.html.j2", who, csrf=csrf, **values)


def station_values(session: Session, url: str, station_id: str) -> dict[str, Any]:
    board = Board(session, url)
    registry = board.registry
    where = place(session, station_id)
    district = registry.district_by_id.get(where.district_id)
    territory = registry.territory_by_id.get(where.territory_id)
    counted = session.scalars(
        select(ProtocolRow)
        .where(ProtocolRow.station_id == station_id, ProtocolRow.counted)
        .order_by(ProtocolRow.contest_id, ProtocolRow.round)
    )
    protocols = []
    for p in counted:
        contest = registry.contest_by_id.get(p.contest_id)
        if contest is None:
            continue
        values = parse(p.data)
        names = board.entry_names(contest)
        protocols.append(
            {
                "title": contest_title(board, contest, p.round),
                "version": p.version,
                "lines": [
                    (LINE_LABELS[line], values["lines"][line])
                    for line in LINES
                    if values["lines"].get(line) is not None
                ],
                "votes": [
                    {**names[e], "votes": values["votes"][e]} for e in names if e in values["votes"]
                ],
            }
        )
    return {
        "station": {"station_id": station_id},
        "district": {"district_id": where.district_id, "name": district.name if district else ""},
        "territory": territory.name if territory else "",
        "protocols": protocols,
        "updated": board.updated,
    }


@router.get("/stations/{station_id}", response_class=HTMLResponse)
def station_page(station_id: str, request: Request) -> HTMLResponse:
    """A station: each protocol counted, its lines in words and its votes by name."""
    who, csrf = viewer(request)
    require(who, "results.read")
    with reading(settings_of(request).url) as session:
        values = station_values(session, settings_of(request).url, station_id)
    return page(request, "station.html.j2", who, csrf=csrf, **values)
