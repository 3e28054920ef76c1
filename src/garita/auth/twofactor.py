"""Two-factor sign-in: TOTP (RFC 6238, through pyotp) and single-use recovery codes.

Enrolment is two steps: a secret is made (shown once, as an ``otpauth://`` link and
its text for typing into an authenticator app), then a first code from the app
turns it on and returns ten recovery codes (shown once; stored hashed). A code is
accepted once: the time step it used is kept, so a code seen over a shoulder
cannot be replayed within its 30 seconds.
"""

from __future__ import annotations

import datetime as dt
import secrets

import pyotp
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.auth.codes import digest
from garita.auth.models import Account, RecoveryCode
from garita.errors import Conflict, Invalid
from garita.identity import Principal

ISSUER = "Garita"
RECOVERY_CODES = 10


def _totp(account: Account) -> pyotp.TOTP:
    assert account.totp_secret is not None
    return pyotp.TOTP(account.totp_secret)


def begin(session: Session, account: Account) -> tuple[str, str]:
    """A new secret (not active yet): (secret, otpauth URI for an authenticator app)."""
    if account.totp_enabled_at is not None:
        raise Conflict("Two-factor sign-in is already on; turn it off first to enrol again.")
    account.totp_secret = pyotp.random_base32()
    session.flush()
    return account.totp_secret, _totp(account).provisioning_uri(name=account.email,
                                                            issuer_name=ISSUER)


def _step_ok(account: Account, code: str, now: dt.datetime) -> bool:
    """A TOTP code valid now (one step of drift either way), not used before."""
    code = code.strip().replace(" ", "")
    if account.totp_secret is None or not code.isdigit():
        return False
    totp = _totp(account)
    step = int(now.timestamp()) // totp.interval
    for s in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(s), code) and (
                account.totp_last_step is None or s > account.totp_last_step):
            account.totp_last_step = s
            return True
    return False


def confirm(session: Session, account: Account, code: str, now: dt.datetime) -> list[str]:
    """Turn two-factor on with a first code from the app; the recovery codes, shown once."""
    if account.totp_enabled_at is not None:
        raise Conflict("Two-factor sign-in is already on; turn it off first to enrol again.")
    if account.totp_secret is None:
        raise Invalid("Start enrolment first (POST /auth/totp), then send a code from the app.")
    if not _step_ok(account, code, now):
        raise Invalid("That code is not the one the app shows now; check the phone's clock "
                      "and send the current six digits.")
    account.totp_enabled_at = now
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    session.add_all(RecoveryCode(account_id=account.id, code_hash=digest(c)) for c in codes)
    audit.record(session, actor=f"{account.role}:{account.id}", action="account.totp_on",
                 object_type="account", object_id=account.id, change={})
    session.flush()
    return codes


def disable(session: Session, account: Account, who: Principal, code: str,
            now: dt.datetime) -> None:
    if account.totp_enabled_at is None:
        raise Conflict("Two-factor sign-in is not on.")
    if not passes(session, account, code, now):
        raise Invalid("That code is wrong: send the current code from the app or an unused "
                      "recovery code.")
    account.totp_secret = account.totp_enabled_at = account.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    audit.record(session, actor=who.actor, action="account.totp_off", object_type="account",
                 object_id=account.id, change={})


def passes(session: Session, account: Account, code: str, now: dt.datetime) -> bool:
    """The second factor: a current TOTP code or an unused recovery code (then used up)."""
    if _step_ok(account, code, now):
        return True
    row = session.scalar(select(RecoveryCode).where(
        RecoveryCode.account_id == account.id, RecoveryCode.used_at.is_(None),
        RecoveryCode.code_hash == digest(code.strip().lower())))
    if row is None:
        return False
    row.used_at = now
    audit.record(session, actor=f"{account.role}:{account.id}", action="account.recovery_code",
                 object_type="account", object_id=account.id, change={})
    return True
