"""Password hashing and signed access tokens (pure: keys and costs are passed in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

from garita.identity import Principal, Role

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
        "sid": principal.sid,
        "full": principal.full,
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(minutes=minutes)).timestamp()),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def read_token(token: str, key: str, now: dt.datetime) -> Principal | None:
    """The principal of a valid token unexpired at ``now``; None otherwise.

    Expiry is checked against the caller's clock (not the system clock) so the
    whole service, and its tests, run on one notion of time.
    """
    verified = _verify(token, key)
    return verified[0] if verified is not None and verified[1] > now.timestamp() else None


def _verify(token: str, key: str, previous: tuple[str, ...] = ()) -> tuple[Principal, float] | None:
    """(principal, expiry timestamp) of a token whose signature and claims check out, under
    the current key or one still accepted after a rotation."""
    for k in (key, *previous):
        try:
            claims = jwt.decode(token, k, algorithms=[ALGORITHM],
                                # expiry and issue time are judged on the service's clock
                                # (read_token), not the system's: GARITA_CLOCK_START
                                options={"require": ["exp", "sub"], "verify_exp": False,
                                         "verify_iat": False})
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError:
            return None
        try:
            return (Principal(account_id=int(claims["sub"]), role=Role(claims["role"]),
                              port=claims.get("port"), sid=claims.get("sid"),
                              full=claims.get("full", True) is True), float(claims["exp"]))
        except (KeyError, ValueError):
            return None
    return None


class TokenCache:
    """Principals of tokens already verified, so a busy client's token is checked once.

    The hot request route sees the same bearer token on every call of a session;
    its HMAC check and claim parsing were ~4 % of that route's CPU. Only tokens that
    verified are kept, keyed by their full text, with their expiry checked on every
    use against the caller's clock; the whole cache is dropped when full.
    """

    def __init__(self, key: str, size: int = 50_000, previous: tuple[str, ...] = (),
                 revoked: Callable[[Principal], bool] | None = None) -> None:
        self._key, self._size, self._previous = key, size, previous
        self._known: dict[str, tuple[Principal, float]] = {}
        self._revoked = revoked

    def read(self, token: str, now: dt.datetime) -> Principal | None:
        """The token's principal, unless it is invalid, expired, or its session revoked
        (``revoked``: a cheap in-memory check, see ``auth.sessions.Revocations``)."""
        who = self._read(token, now)
        if who is not None and self._revoked is not None and self._revoked(who):
            return None
        return who

    def _read(self, token: str, now: dt.datetime) -> Principal | None:
        known = self._known.get(token)
        if known is None:
            known = _verify(token, self._key, self._previous)
            if known is None:
                return None
            if len(self._known) >= self._size:
                self._known.clear()
            self._known[token] = known
        return known[0] if known[1] > now.timestamp() else None
