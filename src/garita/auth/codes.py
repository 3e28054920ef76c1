"""Single-use, expiring secrets sent to a person: email verification, password reset and
a registration's phone verification.

Only SHA-256 digests are stored (the secrets are random, so a plain hash is enough:
nothing to guess from it). A verification has a long link token and a six-digit code
for typing by hand; five wrong codes end it, so the short code cannot be guessed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from garita.auth.models import Account, AccountCode

MAX_TRIES = 5


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(session: Session, account: Account, purpose: str, minutes: int, now: dt.datetime,
          with_code: bool = False, bound: str = "") -> tuple[str, str | None]:
    """A new (link token, code) for this purpose; earlier unused ones of it stop working.
    ``bound``: what the code proves (a phone number): a code typed for another fails."""
    session.execute(update(AccountCode).where(
        AccountCode.account_id == account.id, AccountCode.purpose == purpose,
        AccountCode.used_at.is_(None)).values(used_at=now))
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**6):06d}" if with_code else None
    session.add(AccountCode(account_id=account.id, purpose=purpose, token_hash=digest(token),
                            code_hash=digest(f"{account.id}:{bound}{code}") if code else None,
                            tries=0, created_at=now,
                            expires_at=now + dt.timedelta(minutes=minutes)))
    session.flush()
    return token, code


def use_token(session: Session, purpose: str, token: str, now: dt.datetime) -> int | None:
    """The account id of a live link token, which is then used up; None if not good."""
    row = session.scalar(select(AccountCode).where(
        AccountCode.token_hash == digest(token), AccountCode.purpose == purpose)
        .with_for_update())
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    row.used_at = now
    return row.account_id


def use_code(session: Session, account_id: int, purpose: str, code: str,
             now: dt.datetime, bound: str = "") -> bool:
    """A typed code against the account's live one; wrong tries are counted and end it."""
    row = session.scalar(select(AccountCode).where(
        AccountCode.account_id == account_id, AccountCode.purpose == purpose,
        AccountCode.used_at.is_(None), AccountCode.expires_at > now)
        .order_by(AccountCode.id.desc()).limit(1).with_for_update())
    if row is None or row.code_hash is None:
        return False
    if hmac.compare_digest(row.code_hash, digest(f"{account_id}:{bound}{code.strip()}")):
        row.used_at = now
        return True
    row.tries += 1
    if row.tries >= MAX_TRIES:
        row.used_at = now
    return False


def issued_since(session: Session, account_id: int, purpose: str, since: dt.datetime) -> bool:
    """Whether a code for this purpose was issued after ``since`` (one SMS a minute)."""
    return session.scalar(select(AccountCode.id).where(
        AccountCode.account_id == account_id, AccountCode.purpose == purpose,
        AccountCode.created_at > since).limit(1)) is not None
