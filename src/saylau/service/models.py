"""The tables. Every rule a row must obey that SQL can state is a CHECK constraint.

One database holds one election: its registry (territories, districts, stations, contests
and their entries), the protocols (every version of every one, none ever deleted, each
independent entry of it kept), the live totals, stage decisions, accounts and the audit
chain. JSON columns hold canonical JSON text (sorted keys), so a row hashes the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("administrator", "operator", "supervisor", "observer")
STATUSES = ("entered", "verified", "accepted", "rejected", "mismatch", "superseded")
"""A protocol version's state: entered (first entry), verified (a second entry matched),
accepted (counted), rejected (kept with its errors), mismatch (the two entries differ,
for a supervisor), superseded (a later version took its place)."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """A model's Core table: inserts through it skip the ORM's bookkeeping."""
    found = model.__table__
    assert isinstance(found, Table)
    return found


class ElectionRow(Base):
    """The one election this database serves, and where its registry was read."""

    __tablename__ = "election"
    __table_args__ = (CheckConstraint("id = 1", name="one_election"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    election_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text)
    seed: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    chambers: Mapped[str] = mapped_column(Text)
    """Canonical JSON: [{chamber_id, name, law}]."""
    loaded_at: Mapped[str] = mapped_column(String(40))
    plausibility: Mapped[str | None] = mapped_column(Text, nullable=True)
    """Canonical JSON: {station_voters (None: each station's own count only), margin,
    severity}, or None (`service.plausible`; migration 0004)."""


class TerritoryRow(Base):
    __tablename__ = "territories"
    territory_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))


class DistrictRow(Base):
    __tablename__ = "districts"
    district_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.territory_id"))


class StationRow(Base):
    __tablename__ = "stations"
    station_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    district_id: Mapped[str] = mapped_column(ForeignKey("districts.district_id"), index=True)
    territory_id: Mapped[str] = mapped_column(ForeignKey("territories.territory_id"), index=True)


class ContestRow(Base):
    __tablename__ = "contests"
    __table_args__ = (
        CheckConstraint(
            "tier IN ('list', 'district', 'new_voting', 'repeat_election', 'college')", name="tier"
        ),
        CheckConstraint("rounds >= 1", name="rounds"),
    )
    contest_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    chamber: Mapped[str] = mapped_column(String(100))
    tier: Mapped[str] = mapped_column(String(20))
    district_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    territory_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    replaces: Mapped[str | None] = mapped_column(String(100), nullable=True)
    rounds: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)


class EntryRow(Base):
    """A line of votes on a contest's ballot: a party list or a candidate, in ballot order."""

    __tablename__ = "entries"
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.contest_id"), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    nominator: Mapped[str | None] = mapped_column(String(100), nullable=True)
    position: Mapped[int] = mapped_column(Integer)


class StationVoters(Base):
    """A station's voters on the list, as the registry of voters gives them (`saylau load
    --voters-file`): what plausibility holds its protocols' figures to (migration 0004)."""

    __tablename__ = "station_voters"
    __table_args__ = (CheckConstraint("voters >= 0", name="voters"),)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.station_id"), primary_key=True)
    voters: Mapped[int] = mapped_column(BigInteger)


class StagingStation(Base):
    """Stations on their way in: a load fills this table, checks it, then moves it in one
    commit (an interrupted load leaves the registry as it was)."""

    __tablename__ = "staging_stations"
    station_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    district_id: Mapped[str] = mapped_column(String(100))
    territory_id: Mapped[str] = mapped_column(String(100))


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('administrator', 'operator', 'supervisor', 'observer')", name="role"
        ),
        CheckConstraint(
            "(role IN ('operator', 'supervisor')) = (commission_id IS NOT NULL)",
            name="scoped_roles_have_a_commission",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    commission_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[str] = mapped_column(String(40))


class SessionRow(Base):
    """A login session: the SHA-256 of its random token, never the token itself."""

    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))


class LoginLimit(Base):
    """A counter of login tries (`service.throttle`): of a user name at an address
    (`pair:`), of an address (`address:`) or of an account (`user:`). No try is taken
    before `until`; `known` is when the pair last logged in (migration 0005)."""

    __tablename__ = "login_limits"
    key: Mapped[str] = mapped_column(String(250), primary_key=True)
    tries: Mapped[int] = mapped_column(Integer)
    last: Mapped[str] = mapped_column(String(40))
    until: Mapped[str] = mapped_column(String(40))
    known: Mapped[str | None] = mapped_column(String(40), nullable=True)


MAX_ID = 2**31 - 1
"""The largest id a row may have: ids are 32-bit integers (`Integer`) on every database."""


class ProtocolRow(Base):
    """One version of one station's protocol for one contest and round."""

    __tablename__ = "protocols"
    __table_args__ = (
        UniqueConstraint("station_id", "contest_id", "round", "version", name="one_version"),
        CheckConstraint("round >= 1", name="round"),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint(
            "status IN ('entered', 'verified', 'accepted', 'rejected', 'mismatch', 'superseded')",
            name="status",
        ),
        CheckConstraint("NOT counted OR status = 'accepted'", name="only_accepted_count"),
        CheckConstraint("version = 1 OR reason IS NOT NULL", name="a_correction_has_a_reason"),
        Index(
            "uq_protocols_counted",
            "station_id",
            "contest_id",
            "round",
            unique=True,
            sqlite_where=text("counted"),
            postgresql_where=text("counted"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.station_id"), index=True)
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.contest_id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    counted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[str] = mapped_column(Text)
    """Canonical JSON of the protocol's lines and votes as counted."""
    errors: Mapped[str] = mapped_column(Text, default="[]")
    """Canonical JSON: the violations found, [{code, severity, line, message}]."""
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    entered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))


class EntryCopy(Base):
    """One independent keying of a protocol: the first entry, the second (verification),
    or a resolution's figures (a supervisor's, or a third entry confirming them).
    `client_key` makes a retried request create nothing; it belongs to its user (unique
    per user, migration 0004), so another user's key is another request."""

    __tablename__ = "protocol_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('first', 'second', 'resolution')", name="kind"),
        UniqueConstraint("entered_by", "client_key", name="uq_protocol_entries_entered_by"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocols.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    client_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[str] = mapped_column(String(40))


class TotalRow(Base):
    """A live total: one item (a line, an entry's votes, `protocols`, `carriers.<line>`) of
    one contest and round in one district (or, for the stations of a district that crosses
    territories, in one territory), kept current as protocols are accepted; the rest are
    summed when read (`live.area_totals`, migration 0009)."""

    __tablename__ = "totals"
    __table_args__ = (CheckConstraint("level IN ('district', 'territory')", name="level"),)
    contest_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(20), primary_key=True)
    area_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    item: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class StageRow(Base):
    """A stage transition: a round closed, runoffs scheduled (with the recorded lot), a new
    voting ordered, results published. `detail` is canonical JSON."""

    __tablename__ = "stages"
    __table_args__ = (
        CheckConstraint(
            "action IN ('close_round', 'schedule_runoffs', 'order_new_voting', 'publish')",
            name="action",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chamber: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[str] = mapped_column(String(40))


class ResultRow(Base):
    """A contest's decision as last computed at a stage transition (canonical JSON)."""

    __tablename__ = "results"
    contest_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))


class AuditRow(Base):
    """One entry of the audit chain: `hash` covers every other column and `prev_hash`."""

    __tablename__ = "audit"
    __table_args__ = (CheckConstraint("seq >= 1", name="seq"),)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), index=True)
    detail: Mapped[str] = mapped_column(Text)
    before_hash: Mapped[str] = mapped_column(String(64))
    after_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(128), nullable=True)
    """The audit key's Ed25519 signature of the content hash (hex; migration 0003): made by
    the application before commit, never by the database."""


class AuditCheckpoint(Base):
    """A signed checkpoint of the chain (migration 0003): the head as a verification found
    it (seq, hash), when, and with what result, signed by the audit key; or (`kind` head,
    migration 0006) the head the running service signed on its timer, verifying nothing.
    Verification starts from the last valid verification's."""

    __tablename__ = "audit_checkpoints"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(40))
    verified: Mapped[bool] = mapped_column(Boolean)
    problems: Mapped[int] = mapped_column(Integer)
    first_problem: Mapped[str | None] = mapped_column(Text, nullable=True)
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(
        String(20), default="verification", server_default="verification"
    )


class AuditHead(Base):
    """The last entry of the chain: the one row every writer locks, in turn."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="one_head"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class AuditPending(Base):
    """An audit entry on its way into the chain (PostgreSQL): written by its transaction,
    sealed into `audit` by a deferred trigger at COMMIT (migration 0002)."""

    __tablename__ = "audit_pending"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    before_hash: Mapped[str] = mapped_column(String(64))
    after_hash: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(128), nullable=True)


class TotalsPending(Base):
    """Changes to the live totals on their way in (PostgreSQL): canonical JSON rows of
    (contest_id, round, level, area_id, item, value), added at COMMIT by a deferred trigger."""

    __tablename__ = "totals_pending"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    delta: Mapped[str] = mapped_column(Text)
