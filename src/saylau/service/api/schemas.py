"""The shapes of the API's requests and responses (they make the OpenAPI document)."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from saylau.service.protocols import Values

Key = Field(default=None, max_length=200, description="Makes a retry create nothing twice.")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(Strict):
    username: str = Field(max_length=100)
    password: str = Field(max_length=1000)


class SessionOut(BaseModel):
    token: str
    username: str
    role: str
    commission_id: str | None
    csrf: str


class SubmitIn(Strict):
    station_id: str = Field(max_length=100)
    contest_id: str = Field(max_length=100)
    round: int = Field(ge=1, le=9)
    values: Values
    client_key: str | None = Key


class VerifyIn(Strict):
    values: Values
    client_key: str | None = Key


class ResolveIn(Strict):
    choice: Literal["first", "second", "values"]
    values: Values | None = None
    client_key: str | None = Key


class CorrectIn(Strict):
    values: Values
    reason: str = Field(min_length=1, max_length=2000)
    client_key: str | None = Key


class ProtocolOut(BaseModel):
    id: int
    station_id: str
    contest_id: str
    round: int
    version: int
    status: str
    counted: bool
    values: dict[str, Any]
    errors: list[dict[str, str]]
    reason: str | None
    entered_by: int
    verified_by: int | None
    resolved_by: int | None
    created_at: str
    updated_at: str
    replayed: bool = False
    hidden: bool = Field(
        default=False,
        description="The figures (values, the errors' messages) are hidden: blind double "
        "entry shows them to the first operator only until the second entry is in.",
    )


class ProtocolList(BaseModel):
    protocols: list[ProtocolOut]
    total: int


class UserIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)
    role: Literal["administrator", "operator", "supervisor", "observer"]
    commission_id: str | None = Field(default=None, max_length=120)


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    commission_id: str | None
    active: bool


class CloseRoundIn(Strict):
    chamber: str = Field(max_length=100)
    round: int = Field(ge=1, le=9)


class ResolutionIn(Strict):
    contest_id: str = Field(max_length=100)
    round: int = Field(ge=1, le=9)
    winner: str = Field(max_length=100)
    method: Literal["lot", "commission_decision", "court_decision"] = "lot"
    reference: str = Field(default="", max_length=500)


class RunoffsIn(Strict):
    chamber: str = Field(max_length=100)
    resolutions: list[ResolutionIn] = Field(default_factory=list, max_length=1000)


class NewVotingIn(Strict):
    contest_id: str = Field(max_length=100)
    round: int = Field(ge=1, le=9)
    reason: str = Field(min_length=1, max_length=2000)
    new_contest_id: str = Field(max_length=100)


class StageOut(BaseModel):
    id: int
    chamber: str
    action: str
    detail: dict[str, Any]
    at: str


class AuditOut(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    before_hash: str
    after_hash: str
    prev_hash: str
    hash: str

    @field_validator("detail", mode="before")
    @classmethod
    def _read(cls, detail: Any) -> Any:
        """The detail as the database keeps it, canonical JSON text, read."""
        return json.loads(detail) if isinstance(detail, str) else detail


class AuditHeadOut(BaseModel):
    """The chain's last entry: noted or published, an anchor to verify against later."""

    seq: int
    hash: str
    signature: str | None = Field(
        default=None,
        description="The audit key's Ed25519 signature of 'saylau audit head:SEQ:HASH' (hex); "
        "SEQ:HASH:SIGNATURE is a signed anchor.",
    )


class AuditVerifyOut(BaseModel):
    verified: bool
    entries: int
    first_problem: str | None
    problems: list[str]
    head: AuditHeadOut | None
    anchors: int
    public_key: str | None = Field(
        default=None, description="The audit key's public key the signatures were checked with."
    )
    since: int = Field(
        default=0,
        description="The entry of the signed checkpoint this verification started from (0: "
        "the whole chain was hashed).",
    )
    checked: int = Field(default=0, description="The entries hashed and signature-checked.")


class Ok(BaseModel):
    ok: bool = True
