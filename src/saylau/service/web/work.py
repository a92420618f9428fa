"""Working pages: protocol entry (control-relation errors shown inline), a protocol with
its verification, resolution and correction forms, the verification queue, the audit
trail and user administration. Every form carries the session's CSRF token and a fresh
client key, so a form sent twice creates nothing twice."""

from __future__ import annotations

import contextlib
import json
import re
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from saylau.law.form import LINES, REQUIRED_LINES
from saylau.protocol.lines import LINE_LABELS
from saylau.registry.election import in_language
from saylau.report import i18n
from saylau.said import N_, Said
from saylau.service import accounts, settle, workflow
from saylau.service.api.audit import visible
from saylau.service.api.common import hidden_from, write_as
from saylau.service.api.deps import actor, check_csrf, credentials, csrf_token, settings_of
from saylau.service.api.protocols import ProtocolId
from saylau.service.db import reading
from saylau.service.election import contest_row, entries_of, loaded, place
from saylau.service.errors import Invalid, ServiceError
from saylau.service.load import commissions
from saylau.service.models import AuditRow, EntryCopy, ProtocolRow, StationRow, UserRow
from saylau.service.permissions import SCOPED, Actor, decide, require
from saylau.service.protocols import Values, blinded_errors, core_protocol, parse, said_again
from saylau.service.verification import verify_chain

router = APIRouter(include_in_schema=False)

WHOLE = re.compile(r"-?[0-9]{1,20}")
"""A figure as typed: ASCII digits (a minus is kept, for the control relations to refuse)."""
ROUND = re.compile(r"[1-9]")

ALWAYS_SHOWN = (*REQUIRED_LINES, "against_all")
"""Lines the entry form shows even when no protocol of the contest carries them yet."""


def _session(request: Request) -> tuple[Actor, str]:
    """Who is asking and the CSRF token of the page's forms; from here on, the request is
    in the reader's language (as pages.viewer)."""
    from saylau.service.web.render import language_of

    i18n.set_language(language_of(request))
    creds = credentials(request)
    with reading(settings_of(request).url) as session:
        who = actor(session, creds)
    token = csrf_token(settings_of(request), creds.token) if creds.token else ""
    return who, token


def _values(form: FormData) -> Values:
    """The figures of an entry form: `line.<line>` and `votes.<entry>`, blanks left out;
    commas and spaces between digits are allowed, as on a paper protocol."""
    lines: dict[str, int] = {}
    votes: dict[str, int] = {}
    for key, raw in form.multi_items():
        if "." not in key:
            continue  # csrf, station_id, contest_id, round, client_key, reason, choice
        kind, name = key.split(".", 1)
        if kind not in ("line", "votes"):
            raise Invalid(f"field {key!r} is neither a line (line.NAME) nor votes (votes.ENTRY)")
        text = str(raw).strip().replace(",", "").replace(" ", "")
        if not text:
            continue
        if not WHOLE.fullmatch(text):
            raise Invalid(f"{name}: {str(raw)!r} is not a whole number")
        (lines if kind == "line" else votes)[name] = int(text)
    return Values(lines=lines, votes=votes)


def _form_context(session: Session, contest_id: str, round: int) -> dict[str, Any]:
    form = loaded(session).form(contest_id)
    carried = {
        str(t.symbol) for r in form.relations for t in (*r.rule.left, *r.rule.right) if t.symbol
    }
    lines = [line for line in LINES if line in carried or line in ALWAYS_SHOWN]
    registry = in_language(loaded(session).inputs.election, i18n.language())
    names = {p.party_id: p.name for p in registry.parties}
    names |= {c.candidate_id: c.name for c in registry.candidates}
    entries = [
        {"entry_id": e.entry_id, "name": names.get(e.entry_id, e.name)}
        for e in entries_of(session, contest_id)
    ]
    return {
        "lines": [(line, LINE_LABELS[line]) for line in lines],
        "entries": entries,
        "contest": contest_row(session, contest_id),
        "round": round,
    }


@router.get("/enter", response_class=HTMLResponse)
def entry_form(
    request: Request, station_id: str = "", contest_id: str = "", round: int = 1
) -> HTMLResponse:
    from saylau.service.web.render import page

    who, csrf = _session(request)
    require(who, "protocol.submit")
    context = _entry_context(station_id, contest_id, None)
    if station_id and contest_id:
        with reading(settings_of(request).url) as session:
            try:
                context.update(_form_context(session, contest_id, round))
            except ServiceError as exc:
                context["message"] = exc.message
    return page(request, "enter.html.j2", who, csrf=csrf, **context)


def _entry_context(station_id: str, contest_id: str, message: str | None) -> dict[str, Any]:
    """The entry page before its contest's form: blank, with a fresh client key."""
    return {
        "station_id": station_id,
        "contest_id": contest_id,
        "key": secrets.token_urlsafe(12),
        "data": None,
        "errors": [],
        "message": message,
    }


@router.post("/enter", response_class=HTMLResponse)
async def enter(request: Request) -> Response:
    """Submit a first entry; one that breaks a relation is kept as rejected and its errors
    shown beside the lines, ready to be corrected."""
    from saylau.service.web.render import page

    form = await request.form()
    who, csrf = _session(request)
    station_id, contest_id = str(form.get("station_id", "")), str(form.get("contest_id", ""))
    round_text = str(form.get("round", "1")).strip() or "1"
    round = int(round_text) if ROUND.fullmatch(round_text) else 1  # the form shown again

    def act(session: Session, me: Actor) -> ProtocolRow:
        if not ROUND.fullmatch(round_text):
            raise Invalid(f"round: {round_text!r} is not a round (1 to 9)")
        values = _values(form)
        election = loaded(session)
        return workflow.submit(
            session,
            election,
            me,
            station_id=station_id,
            contest_id=contest_id,
            round=round,
            values=values,
            client_key=str(form.get("client_key", "")) or None,
        ).protocol

    try:
        row = await run_in_threadpool(_write, request, form, act)
    except ServiceError as exc:
        context = _entry_context(station_id, contest_id, exc.message)
        with reading(settings_of(request).url) as session, contextlib.suppress(ServiceError):
            context.update(_form_context(session, contest_id, round))
        return page(request, "enter.html.j2", who, exc.status, csrf=csrf, **context)
    return RedirectResponse(f"/protocols/{row.id}", status_code=303)


def _write(
    request: Request, form: FormData, act: Callable[[Session, Actor], ProtocolRow]
) -> ProtocolRow:
    creds = credentials(request)
    check_csrf(request, creds, str(form.get("csrf", "")))
    return write_as(settings_of(request).url, creds, act)


@router.get("/protocols/{protocol_id}", response_class=HTMLResponse)
def protocol_view(protocol_id: ProtocolId, request: Request) -> HTMLResponse:
    """A protocol's page. It reads no query parameter: its message is only ever the
    service's own refusal (`protocol_page`), never text a link carries."""
    return protocol_page(protocol_id, request)


def protocol_page(protocol_id: int, request: Request, message: str = "") -> HTMLResponse:
    from saylau.service.web.render import page

    who, csrf = _session(request)
    with reading(settings_of(request).url) as session:
        row = session.get(ProtocolRow, protocol_id)
        if row is None:
            missing = Said(N_("protocol %(id)s does not exist"), id=str(protocol_id))
            raise Invalid(missing, status=404, code="not_found")
        where = place(session, row.station_id)
        require(who, "protocol.read", where)
        copies = list(
            session.scalars(
                select(EntryCopy).where(EntryCopy.protocol_id == row.id).order_by(EntryCopy.id)
            )
        )
        versions = list(
            session.scalars(
                select(ProtocolRow)
                .where(
                    ProtocolRow.station_id == row.station_id,
                    ProtocolRow.contest_id == row.contest_id,
                    ProtocolRow.round == row.round,
                )
                .order_by(ProtocolRow.version)
            )
        )
        context = _form_context(session, row.contest_id, row.round)
        awaiting = settle.proposal(session, row) is not None
        form = loaded(session).form(row.contest_id)
    hidden = hidden_from(row, who)  # blind double entry: no figures, nor a pre-filled form
    first = next((parse(c.data) for c in copies if c.kind == "first"), None)
    second = next((parse(c.data) for c in reversed(copies) if c.kind == "second"), None)
    errors = json.loads(row.errors)
    if errors and not hidden:  # said again by the core, for the reader's language
        stored = core_protocol(row.station_id, row.contest_id, row.round, parse(row.data))
        errors = said_again(errors, stored, form)
    if hidden:
        first, second, errors = None, None, blinded_errors(errors)
    by_line: dict[str, list[str]] = {}
    for error in errors:
        by_line.setdefault(error["line"], []).append(error["message"])
    may = {
        action: decide(who, action, where).allowed
        for action in ("protocol.verify", "protocol.correct", "protocol.resolve")
    }
    return page(
        request,
        "protocol.html.j2",
        who,
        csrf=csrf,
        row=row,
        data=None if hidden else parse(row.data),
        hidden=hidden,
        awaiting=awaiting,
        errors=errors,
        by_line=by_line,
        first=first,
        second=second,
        versions=versions,
        may=may,
        key=secrets.token_urlsafe(12),
        message=message,
        **context,
    )


@router.post("/protocols/{protocol_id}/{action}", response_class=HTMLResponse)
async def protocol_action(protocol_id: ProtocolId, action: str, request: Request) -> Response:
    """verify, resolve or correct, from the protocol page."""
    form = await request.form()
    key = str(form.get("client_key", "")) or None

    def act(session: Session, me: Actor) -> ProtocolRow:
        election = loaded(session)
        if action == "verify":
            return workflow.verify(session, election, me, protocol_id, _values(form), key).protocol
        if action == "correct":
            return workflow.correct(
                session, election, me, protocol_id, _values(form), str(form.get("reason", "")), key
            ).protocol
        if action == "resolve":
            chosen = str(form.get("choice", "first"))
            choice: workflow.Choice = "first"
            if chosen == "second":
                choice = "second"
            elif chosen == "values":
                choice = "values"
            elif chosen != "first":
                raise Invalid("choose the first entry, the second, or new figures")
            values = _values(form) if choice == "values" else None
            return workflow.resolve(
                session, election, me, protocol_id, choice, values, key
            ).protocol
        raise Invalid(f"no action {action}", status=404, code="not_found")

    try:
        row = await run_in_threadpool(_write, request, form, act)
    except ServiceError as exc:
        return (
            protocol_page(protocol_id, request, message=exc.message)
            if exc.status != 404
            else _error(request, exc)
        )
    return RedirectResponse(f"/protocols/{row.id}", status_code=303)


def _error(request: Request, exc: ServiceError) -> HTMLResponse:
    from saylau.service.web.render import page

    who, csrf = _session(request)
    return page(request, "error.html.j2", who, exc.status, csrf=csrf, error=exc)


@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request) -> HTMLResponse:
    """Protocols awaiting a second entry (not one's own), and mismatches for supervisors."""
    from saylau.service.web.render import page

    who, csrf = _session(request)
    require(who, "protocol.read")
    with reading(settings_of(request).url) as session:
        query = (
            select(ProtocolRow)
            .join(StationRow, StationRow.station_id == ProtocolRow.station_id)
            .where(
                or_(
                    ProtocolRow.status == "entered",
                    ProtocolRow.status == "mismatch",
                    ProtocolRow.status == "rejected",
                )
            )
        )
        if who.role in SCOPED:
            commission = who.commission_id or ""
            column = (
                StationRow.territory_id if commission.startswith("tec-") else StationRow.district_id
            )
            query = query.where(column == commission[4:])
        oldest_first = (ProtocolRow.created_at, ProtocolRow.id)  # ids come in blocks
        rows = list(session.scalars(query.order_by(*oldest_first).limit(500)))
    return page(request, "queue.html.j2", who, csrf=csrf, rows=rows)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request) -> HTMLResponse:
    from saylau.service.web.render import page

    who, csrf = _session(request)
    require(who, "audit.read")
    with reading(settings_of(request).url) as session:
        latest = select(AuditRow).order_by(AuditRow.seq.desc()).limit(200)
        rows = list(session.scalars(visible(latest, who)))  # a supervisor: its commission's
        report = verify_chain(session, incremental=True)  # from the last checkpoint
    return page(request, "audit.html.j2", who, csrf=csrf, rows=rows, report=report)


@router.get("/admin/users", response_class=HTMLResponse)
def users_view(request: Request) -> HTMLResponse:
    """The users page. It reads no query parameter: its message and status are only ever
    the service's own refusal (`users_page`), never what a link carries."""
    return users_page(request)


def users_page(request: Request, message: str = "", status: int = 200) -> HTMLResponse:
    from saylau.service.web.render import page

    who, csrf = _session(request)
    require(who, "user.admin")
    with reading(settings_of(request).url) as session:
        users = list(session.scalars(select(UserRow).order_by(UserRow.id)))
        known = sorted(commissions(session))
    return page(
        request,
        "users.html.j2",
        who,
        status,
        csrf=csrf,
        users=users,
        commissions=known,
        message=message,
    )


@router.post("/admin/users", response_class=HTMLResponse)
async def add_user(request: Request) -> Response:
    form = await request.form()

    def act(session: Session, me: Actor) -> Any:
        require(me, "user.admin")
        return accounts.create_user(
            session,
            str(form.get("username", "")),
            password,
            str(form.get("role", "")),
            str(form.get("commission_id", "")) or None,
            by=me.username,
            commissions=commissions(session),
        )

    try:
        who, _ = await run_in_threadpool(_session, request)
        require(who, "user.admin")  # before the slow hash, which runs outside the transaction
        password = await run_in_threadpool(
            accounts.NewPassword.make,
            str(form.get("username", "")),
            str(form.get("password", "")),
        )
        await run_in_threadpool(_write, request, form, act)
    except ServiceError as exc:
        return users_page(request, message=exc.message, status=exc.status)
    return RedirectResponse("/admin/users", status_code=303)
