"""Shared request dependencies: the unit of work, the caller, role checks, the clock.

Views open the transaction themselves (``with tx(request) as session``) so the
commit happens before the response is sent: a client never sees a success for
work that was not stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Query, Request, Response
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from garita.errors import Forbidden, Unauthorized
from garita.identity import Principal, Role

bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


@contextmanager
def tx(request: Request) -> Iterator[Session]:
    factory = request.app.state.sessions
    with factory() as session, session.begin():
        session.info["clock"] = request.app.state.clock  # audit entries' time
        yield session


def now(request: Request) -> dt.datetime:
    """The app's clock, in UTC (what is stored and returned)."""
    return request.app.state.clock().astimezone(dt.UTC)


def any_session(request: Request, token: Annotated[str | None, Depends(bearer)]) -> Principal:
    """The caller of a valid, unrevoked token, full session or two-factor enrolment only."""
    if not token:
        raise Unauthorized("Sign in first: send 'Authorization: Bearer <token>' from /auth/token.")
    who = request.app.state.tokens.read(token, request.app.state.clock())
    if who is None:
        raise Unauthorized("Your token is invalid or expired; sign in again at /auth/token.")
    return who


def principal(request: Request, token: Annotated[str | None, Depends(bearer)]) -> Principal:
    who = any_session(request, token)
    if not who.full:
        raise Forbidden("Staff accounts must turn on two-factor sign-in first: POST /auth/totp, "
                        "then POST /auth/totp/confirm with a code from the app.")
    return who


def require(*roles: Role) -> Callable[[Principal], Principal]:
    def check(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if who.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise Forbidden(f"This needs one of the roles: {allowed}; you are {who.role.value}.")
        return who

    return check


Caller = Annotated[Principal, Depends(principal)]
AnySession = Annotated[Principal, Depends(any_session)]
Now = Annotated[dt.datetime, Depends(now)]
Admin = Annotated[Principal, Depends(require(Role.admin))]
Applicant = Annotated[Principal, Depends(require(Role.applicant, Role.ngo))]
Staff = Annotated[Principal, Depends(require(Role.admin, Role.officer, Role.coordinator,
                                              Role.analyst))]

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip.")]


def with_total(response: Response, total: int) -> None:
    """List routes keep their JSON shape (an array) and say how many match in all here."""
    response.headers["X-Total-Count"] = str(total)
