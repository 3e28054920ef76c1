"""Server-side sessions: every token names one (``sid``); signing out revokes it.

Tokens stay signed and self-contained (no database read per request); what is
checked per request is only whether the session was revoked, against an
in-memory set (:class:`Revocations`) that each process reloads every
``GARITA_SESSION_CHECK_SECONDS`` — the revoked sessions still unexpired, a
short list. A revocation made in this process counts at once.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from garita.audit import service as audit
from garita.auth.models import AccountSession
from garita.errors import NotFound
from garita.identity import Principal


class Revocations:
    """Is this caller's session revoked? A set lookup, the set reloaded every few seconds."""

    def __init__(self, sessions: sessionmaker, clock: Callable[[], dt.datetime],
                 every_seconds: float) -> None:
        self._sessions, self._clock, self._every = sessions, clock, every_seconds
        self._revoked: frozenset[str] = frozenset()
        self._due = 0.0
        self._lock = threading.Lock()

    def __call__(self, who: Principal) -> bool:
        if who.sid is None:  # every token this service issues names its session
            return True
        if time.monotonic() >= self._due:
            self._reload()
        return who.sid in self._revoked

    def add(self, *sids: str) -> None:
        """Revoked here and now (the database has them too, in the same transaction)."""
        with self._lock:
            self._revoked = self._revoked | set(sids)

    def _reload(self) -> None:
        with self._lock:
            if time.monotonic() < self._due:
                return  # another thread reloaded meanwhile
            with self._sessions() as s:
                found = frozenset(s.scalars(select(AccountSession.id).where(
                    AccountSession.revoked_at.is_not(None),
                    AccountSession.expires_at > self._clock())))
            self._revoked = found
            self._due = time.monotonic() + self._every


def start(session: Session, who: Principal, now: dt.datetime, minutes: int, client: str,
          full: bool = True) -> Principal:
    """A new session for this principal; the principal to put in its token."""
    sid = secrets.token_urlsafe(16)
    session.add(AccountSession(id=sid, account_id=who.account_id, created_at=now,
                               expires_at=now + dt.timedelta(minutes=minutes),
                               client=client[:120], full_access=full))
    session.flush()
    return who.model_copy(update={"sid": sid, "full": full})


def active(session: Session, account_id: int, now: dt.datetime) -> list[AccountSession]:
    """The account's sessions not revoked and not expired, newest first."""
    return list(session.scalars(select(AccountSession).where(
        AccountSession.account_id == account_id, AccountSession.revoked_at.is_(None),
        AccountSession.expires_at > now).order_by(AccountSession.created_at.desc())))


def revoke(session: Session, who: Principal, sid: str, now: dt.datetime) -> list[str]:
    """Sign one of the caller's own sessions out."""
    row = session.get(AccountSession, sid)
    if row is None or row.account_id != who.account_id or row.revoked_at is not None:
        raise NotFound("This session does not exist, is not yours or has already ended.")
    row.revoked_at = now
    audit.record(session, actor=who.actor, action="session.revoke", object_type="account",
                 object_id=who.account_id, change={"sessions": 1})
    return [sid]


def revoke_all(session: Session, account_id: int, actor: str, now: dt.datetime) -> list[str]:
    """Sign an account out everywhere (its owner, or a password reset)."""
    sids = [s.id for s in active(session, account_id, now)]
    if sids:
        session.execute(update(AccountSession).where(AccountSession.id.in_(sids))
                        .values(revoked_at=now))
    audit.record(session, actor=actor, action="session.revoke_all", object_type="account",
                 object_id=account_id, change={"sessions": len(sids)})
    return sids
