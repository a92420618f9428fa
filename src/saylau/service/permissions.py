"""Roles as declared actions: who may do what, where, and why (or why not).

Roles: `administrator` (the central commission: everything), `operator` (enters and
verifies protocols of its own commission's stations), `supervisor` (resolves mismatches and
reads in its scope), `observer` (reads everything, writes nothing) and the public (published
results only). A commission is `tec-<territory>` or `dec-<district>`. Every decision carries
its reason, which a refusal shows and the audit trail records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from saylau.said import N_, Name, Said
from saylau.service.election import Place
from saylau.service.errors import Forbidden, Invalid, NotAuthenticated

Action = Literal[
    "results.read",
    "registry.read",
    "protocol.read",
    "protocol.submit",
    "protocol.verify",
    "protocol.correct",
    "protocol.resolve",
    "audit.read",
    "stage.transition",
    "user.admin",
]

DOING: Final[dict[str, str]] = {
    "results.read": N_("read the results"),
    "registry.read": N_("read the registry"),
    "protocol.read": N_("read protocols"),
    "protocol.submit": N_("submit a protocol"),
    "protocol.verify": N_("verify a protocol"),
    "protocol.correct": N_("correct a protocol"),
    "protocol.resolve": N_("resolve a mismatch"),
    "audit.read": N_("read the audit trail"),
    "stage.transition": N_("move the election to its next stage"),
    "user.admin": N_("manage users"),
}
"""Each action as a refusal says it."""

ROLE_ACTIONS: Final[dict[str, frozenset[str]]] = {
    "public": frozenset({"results.read"}),
    "observer": frozenset({"results.read", "registry.read", "protocol.read", "audit.read"}),
    "operator": frozenset(
        {
            "results.read",
            "registry.read",
            "protocol.read",
            "protocol.submit",
            "protocol.verify",
            "protocol.correct",
        }
    ),
    "supervisor": frozenset(
        {"results.read", "registry.read", "protocol.read", "protocol.resolve", "audit.read"}
    ),
    "administrator": frozenset(DOING),  # every action
}
"""What each role may do at all; scope narrows it to a commission's stations."""

SCOPED: Final = frozenset({"operator", "supervisor"})


@dataclass(frozen=True)
class Actor:
    """Who is asking: a user (id, name, role, commission), or the public (id None)."""

    user_id: int | None
    username: str
    role: str
    commission_id: str | None = None

    @property
    def public(self) -> bool:
        return self.user_id is None


PUBLIC: Final = Actor(None, "public", "public")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


def _role(role: str) -> Said:
    """`role <name>`, the role's name said in the reader's language where it has one."""
    named = role in ROLE_ACTIONS and role != "public"  # each marked in service/web/words.py
    return Said(N_("role %(role)s"), role=Said(role) if named else role)


def in_scope(actor: Actor, where: Place) -> bool:
    """Whether a station lies in the actor's commission (always, for unscoped roles)."""
    if actor.role not in SCOPED:
        return True
    commission = actor.commission_id or ""
    if commission.startswith("tec-"):
        return where.territory_id == commission.removeprefix("tec-")
    if commission.startswith("dec-"):
        return where.district_id == commission.removeprefix("dec-")
    return False


def decide(actor: Actor, action: Action, where: Place | None = None) -> Decision:
    """May `actor` do `action` (at the station `where`, for scoped actions)?"""
    if action not in ROLE_ACTIONS.get(actor.role, frozenset()):
        who = Said(N_("the public")) if actor.public else _role(actor.role)
        doing = Said(DOING[action])
        said = Said(
            N_("%(who)s may not %(doing)s (%(action)s)"), who=who, doing=doing, action=action
        )
        return Decision(False, said)
    if where is not None and not in_scope(actor, where):
        outside = Said(
            N_(
                "station %(station)s (district %(district)s, territory %(territory)s) is "
                "outside commission %(commission)s"
            ),
            station=where.station_id,
            district=Name(where.district_id, "district"),
            territory=Name(where.territory_id, "territory"),
            commission=actor.commission_id or "None",
        )
        return Decision(False, outside)
    scope = f" in commission {actor.commission_id}" if actor.role in SCOPED else ""
    return Decision(True, f"role {actor.role}{scope} may {action.replace('.', ' ')}")


def require(actor: Actor, action: Action, where: Place | None = None) -> Decision:
    """The decision, or the refusal: 401 for the public where a login would help, else 403."""
    found = decide(actor, action, where)
    if not found.allowed:
        if actor.public:
            raise NotAuthenticated(Said(N_("log in first: %(reason)s"), reason=found.reason))
        raise Forbidden(found.reason)
    return found


def check_commission(role: str, commission_id: str | None, known: set[str]) -> None:
    """A scoped role names a known commission; others name none."""
    if role not in ROLE_ACTIONS or role == "public":
        raise Invalid(
            f"role {role!r} is not one of {', '.join(sorted(set(ROLE_ACTIONS) - {'public'}))}"
        )
    if role in SCOPED:
        if not commission_id:
            raise Invalid(f"a {role} needs a commission (tec-<territory> or dec-<district>)")
        if commission_id not in known:
            raise Invalid(f"commission {commission_id} is not one of this election's")
    elif commission_id:
        raise Invalid(f"a {role} is not scoped to a commission")
