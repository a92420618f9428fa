"""The service's accounts: list them, create one (administrators only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.service import accounts
from saylau.service.api.common import ERRORS, read, read_rows, write
from saylau.service.api.schemas import UserIn, UserOut
from saylau.service.load import commissions
from saylau.service.models import UserRow
from saylau.service.permissions import Actor, require

router = APIRouter(prefix="/api", tags=["users"], responses=ERRORS)


def user_out(user: UserRow) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


@router.get("/users", response_model=list[UserOut])
def users(request: Request) -> list[UserOut]:
    return read_rows(request, "user.admin", select(UserRow).order_by(UserRow.id), user_out)


@router.post("/users", response_model=UserOut, status_code=201)
def add_user(body: UserIn, request: Request) -> UserOut:
    """Create an account (administrators only). The password is checked and hashed before
    the transaction (argon2 is slow, and no lock waits on it)."""
    read(request, "user.admin", lambda session, who: None)  # no hashing for the unallowed
    password = accounts.NewPassword.make(body.username, body.password)

    def work(session: Session, who: Actor) -> UserOut:
        require(who, "user.admin")
        user = accounts.create_user(
            session,
            body.username,
            password,
            body.role,
            body.commission_id,
            by=who.username,
            commissions=commissions(session),
        )
        return user_out(user)

    return write(request, work)
