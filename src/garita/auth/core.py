"""Password hashing and signed access tokens (pure: keys and costs are passed in)."""

from __future__ import annotations

import datetime as dt

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

from garita.auth.schemas import Principal, Role

ALGORITHM = "HS256"


def hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def password_ok(ph: PasswordHasher, stored: str, given: str) -> bool:
    try:
        return ph.verify(stored, given)
    except (VerifyMismatchError, InvalidHashError):
        return False


def issue_token(principal: Principal, key: str, minutes: int, now: dt.datetime) -> str:
    claims = {
        "sub": str(principal.account_id),
        "role": principal.role.value,
        "port": principal.port,
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(minutes=minutes)).timestamp()),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def read_token(token: str, key: str, now: dt.datetime) -> Principal | None:
    """The principal of a valid token unexpired at ``now``; None otherwise.

    Expiry is checked against the caller's clock (not the system clock) so the
    whole service, and its tests, run on one notion of time.
    """
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub"], "verify_exp": False})
        if int(claims["exp"]) <= now.timestamp():
            return None
        return Principal(account_id=int(claims["sub"]), role=Role(claims["role"]),
                         port=claims.get("port"))
    except (jwt.PyJWTError, KeyError, ValueError):
        return None
