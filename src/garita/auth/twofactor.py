"""Two-factor sign-in: TOTP (RFC 6238, through pyotp) and single-use recovery codes.

Enrolment is two steps: a secret is made (shown once, as an ``otpauth://`` link and
its text for typing into an authenticator app), then a first code from the app
turns it on and returns ten recovery codes (shown once; stored hashed). A code is
accepted once: the time step it used is kept, so a code seen over a shoulder
cannot be replayed within its 30 seconds. The secret is stored sealed
(``garita.auth.totpkeys``): the database alone does not make codes.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

import pyotp
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.auth.codes import digest
from garita.auth.models import Account, RecoveryCode
from garita.auth.totpkeys import SealError, TotpKeys
from garita.errors import Conflict, Invalid, Unavailable
from garita.identity import Principal

log = logging.getLogger(__name__)

ISSUER = "Garita"
RECOVERY_CODES = 10


def reseal_all(session: Session, keys: TotpKeys, actor: str) -> int:
    """Seal every stored secret under the current key (after a rotation, so the previous
    key can be dropped); how many moved. Audited."""
    moved = 0
    for account in session.scalars(select(Account).where(Account.totp_secret.is_not(None))
                                   .with_for_update()):
        assert account.totp_secret is not None
        if not keys.is_current(account.totp_secret):
            account.totp_secret = keys.seal(keys.open(account.totp_secret, account.id),
                                            account.id)
            moved += 1
    audit.record(session, actor=actor, action="account.totp_reseal", object_type="account",
                 object_id=keys.current_id, change={"resealed": moved})
    return moved


def pending_secret(account: Account, keys: TotpKeys) -> str | None:
    """The enrolment's secret in clear (the account page shows it again until confirmed)."""
    return _open(account, keys) if account.totp_secret else None


def _open(account: Account, keys: TotpKeys) -> str:
    """The secret in clear. A secret this server's keys cannot open is the operator's
    fault, not the caller's: a 503 that says so (never a 500), and the log line that
    names the missing setting (no personal data: the account's id only)."""
    assert account.totp_secret is not None
    try:
        return keys.open(account.totp_secret, account.id)
    except SealError as exc:
        log.error("two-factor secret unreadable: %s", exc)
        raise Unavailable("Two-factor codes cannot be checked on this server right now (a "
                          "key is not configured). The operators can see why in the log; "
                          "try again later.") from exc


def _totp(account: Account, keys: TotpKeys) -> pyotp.TOTP:
    assert account.totp_secret is not None
    return pyotp.TOTP(_open(account, keys))


def begin(session: Session, account: Account, keys: TotpKeys) -> tuple[str, str]:
    """A new secret (not active yet): (secret, otpauth URI for an authenticator app). Only
    its sealed form is stored."""
    if account.totp_enabled_at is not None:
        raise Conflict("Two-factor sign-in is already on; turn it off first to enrol again.")
    secret = pyotp.random_base32()
    account.totp_secret = keys.seal(secret, account.id)
    session.flush()
    return secret, pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name=ISSUER)


def _step_ok(account: Account, keys: TotpKeys, code: str, now: dt.datetime) -> bool:
    """A TOTP code valid now (one step of drift either way), not used before. A secret
    sealed under a previous key is sealed again under the current one."""
    code = code.strip().replace(" ", "")
    if account.totp_secret is None or not code.isdigit():
        return False
    totp = _totp(account, keys)
    step = int(now.timestamp()) // totp.interval
    for s in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(s), code) and (
                account.totp_last_step is None or s > account.totp_last_step):
            account.totp_last_step = s
            if not keys.is_current(account.totp_secret):
                account.totp_secret = keys.seal(totp.secret, account.id)
            return True
    return False


def confirm(session: Session, account: Account, keys: TotpKeys, code: str,
            now: dt.datetime) -> list[str]:
    """Turn two-factor on with a first code from the app; the recovery codes, shown once."""
    if account.totp_enabled_at is not None:
        raise Conflict("Two-factor sign-in is already on; turn it off first to enrol again.")
    if account.totp_secret is None:
        raise Invalid("Start enrolment first (POST /auth/totp), then send a code from the app.")
    if not _step_ok(account, keys, code, now):
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


def disable(session: Session, account: Account, keys: TotpKeys, who: Principal, code: str,
            now: dt.datetime) -> None:
    if account.totp_enabled_at is None:
        raise Conflict("Two-factor sign-in is not on.")
    if not passes(session, account, keys, code, now):
        raise Invalid("That code is wrong: send the current code from the app or an unused "
                      "recovery code.")
    account.totp_secret = account.totp_enabled_at = account.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    audit.record(session, actor=who.actor, action="account.totp_off", object_type="account",
                 object_id=account.id, change={})


def passes(session: Session, account: Account, keys: TotpKeys, code: str,
           now: dt.datetime) -> bool:
    """The second factor: a current TOTP code or an unused recovery code (then used up)."""
    if _step_ok(account, keys, code, now):
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
