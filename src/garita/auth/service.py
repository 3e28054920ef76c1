"""Sign-up, login and staff accounts. Takes a session, never commits."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.auth import codes, messages, sessions, twofactor
from garita.auth.core import password_ok
from garita.auth.models import Account
from garita.auth.schemas import SignUp, StaffIn
from garita.auth.totpkeys import TotpKeys
from garita.errors import Conflict, Forbidden, Invalid, TooMany, Unauthorized
from garita.identity import PUBLIC_ROLES, STAFF_ROLES, Principal, Role
from garita.policy.ports import PORT_CODES


def _exists(session: Session, email: str) -> bool:
    return session.scalar(select(Account.id).where(Account.email == email.lower())) is not None


def _create(session: Session, ph: PasswordHasher, email: str, password: str, role: Role,
            port: str | None, actor: str, verified: bool) -> Account:
    email = email.lower()
    if _exists(session, email):
        raise Conflict("An account with this email already exists; log in instead.")
    now = dt.datetime.now(dt.UTC)
    account = Account(email=email, password_hash=ph.hash(password), role=role.value, port=port,
                      created_at=now, email_verified_at=now if verified else None)
    session.add(account)
    session.flush()
    audit.record(session, actor=actor, action="account.create", object_type="account",
                 object_id=account.id, change={"role": role.value, "port": port})
    return account


def sign_up(session: Session, ph: PasswordHasher, data: SignUp, links: Links,
            language: str, now: dt.datetime) -> Account | None:
    """The new account (unverified: a code and a link go to the email), or None when the
    email already has one: nothing changes, and its owner is told someone tried.

    The caller answers both the same way ("check your email"), so sign-up cannot be
    used to learn who has an account; the password is hashed in both cases, so the
    time taken does not tell either. An account signs in once its email is verified.
    """
    if data.role not in PUBLIC_ROLES:
        raise Forbidden("Only applicant and ngo accounts can sign up; staff accounts are "
                        "created by an admin.")
    existing = session.scalar(select(Account).where(Account.email == data.email.lower()))
    if existing is not None:
        ph.hash(data.password)  # the same work as a creation
        messages.send(session, event_key=f"signup-exists:{existing.id}:{now.isoformat()}",
                      template=messages.SIGNUP_EXISTS, account_id=existing.id,
                      to_email=existing.email, language=language,
                      params={"link": f"{links.base}/reset"})
        return None
    account = _create(session, ph, data.email, data.password, data.role, None, "self",
                      verified=False)
    send_verification(session, account, links, language, now)
    return account


class Links:
    """Where links in messages point and how long their secrets live (from settings)."""

    def __init__(self, base: str, verify_minutes: int, reset_minutes: int) -> None:
        self.base = base.rstrip("/")
        self.verify_minutes, self.reset_minutes = verify_minutes, reset_minutes


def send_verification(session: Session, account: Account, links: Links, language: str,
                      now: dt.datetime) -> None:
    token, code = codes.issue(session, account, "verify_email", links.verify_minutes, now,
                              with_code=True)
    messages.send(session, event_key=f"verify:{codes.digest(token)}", template=messages.VERIFY,
                  account_id=account.id, to_email=account.email, language=language,
                  params={"code": code, "link": f"{links.base}/verify/{token}",
                          "hours": links.verify_minutes // 60})


def resend_verification(session: Session, email: str, links: Links, language: str,
                        now: dt.datetime) -> None:
    """A new code for an unverified account; nothing for an unknown or verified email (the
    caller answers alike)."""
    account = session.scalar(select(Account).where(Account.email == email.lower()))
    if account is not None and account.email_verified_at is None:
        send_verification(session, account, links, language, now)


def verify_email(session: Session, now: dt.datetime, *, token: str | None = None,
                 email: str | None = None, code: str | None = None) -> bool:
    """Mark the email verified by a link token, or by the email and its typed code. False:
    wrong, used or expired (a wrong code counts against its tries: commit then refuse)."""
    account_id: int | None = None
    if token:
        account_id = codes.use_token(session, "verify_email", token, now)
    elif email and code:
        account = session.scalar(select(Account).where(Account.email == email.lower()))
        if account is not None and codes.use_code(session, account.id, "verify_email", code,
                                                  now):
            account_id = account.id
    account = session.get(Account, account_id) if account_id is not None else None
    if account is None:
        return False
    if account.email_verified_at is None:
        account.email_verified_at = now
        audit.record(session, actor=f"{account.role}:{account.id}",
                     action="account.verify_email", object_type="account",
                     object_id=account.id, change={})
    return True


def confirm_by_operator(session: Session, account_id: int, actor: str, now: dt.datetime) -> None:
    """An operator vouches for an address (the demo's own accounts), audited as such."""
    account = session.get(Account, account_id)
    if account is not None and account.email_verified_at is None:
        account.email_verified_at = now
        audit.record(session, actor=actor, action="account.verify_email", object_type="account",
                     object_id=account.id, change={"by": "operator"})


def request_reset(session: Session, email: str, links: Links, language: str,
                  now: dt.datetime) -> None:
    """Send a reset link if the email has an account (the caller answers alike)."""
    account = session.scalar(select(Account).where(Account.email == email.lower()))
    if account is None:
        return
    token, _ = codes.issue(session, account, "reset", links.reset_minutes, now)
    messages.send(session, event_key=f"reset:{codes.digest(token)}", template=messages.RESET,
                  account_id=account.id, to_email=account.email, language=language,
                  params={"link": f"{links.base}/reset/{token}",
                          "minutes": links.reset_minutes})


def reset_password(session: Session, ph: PasswordHasher, token: str, password: str,
                   now: dt.datetime) -> int | None:
    """Set a new password through a live reset link; the same account, so its
    registrations and their waiting time stay. The email counts as verified (the link
    reached it). Returns the account id (its sessions are then revoked by the caller),
    or None for a used, expired or unknown link."""
    account_id = codes.use_token(session, "reset", token, now)
    account = session.get(Account, account_id) if account_id is not None else None
    if account is None:
        return None
    account.password_hash = ph.hash(password)
    account.email_verified_at = account.email_verified_at or now
    audit.record(session, actor=f"{account.role}:{account.id}", action="account.reset_password",
                 object_type="account", object_id=account.id, change={})
    return account.id


def create_staff(session: Session, ph: PasswordHasher, data: StaffIn, by: Principal) -> Account:
    if data.role is Role.officer and data.port not in PORT_CODES:
        raise Invalid(f"An officer needs a port: one of {', '.join(PORT_CODES)}.")
    if data.role is not Role.officer and data.port is not None:
        raise Invalid("Only officers are attached to a port; leave port empty.")
    return _create(session, ph, data.email, data.password, data.role, data.port, by.actor,
                   verified=True)  # an admin vouches for a staff address


_DECOYS: dict[tuple[int, int], str] = {}


def _decoy(ph: PasswordHasher) -> str:
    """A hash with this hasher's costs, checked when the email is unknown: sign-in then
    takes as long as for a known email (a skipped hash told who has an account)."""
    key = (ph.time_cost, ph.memory_cost)
    if key not in _DECOYS:
        _DECOYS[key] = ph.hash("decoy password, never an account's")
    return _DECOYS[key]


def authenticate(session: Session, ph: PasswordHasher, email: str, password: str) -> Principal:
    account = session.scalar(select(Account).where(Account.email == email.lower()))
    stored = account.password_hash if account is not None else _decoy(ph)
    if not password_ok(ph, stored, password) or account is None:
        raise Unauthorized("Email or password is wrong.")
    return Principal(account_id=account.id, role=Role(account.role), port=account.port)


def close_account(session: Session, account_id: int, actor: str,
                  now: dt.datetime) -> list[str]:
    """Erase an applicant's account when their last registration is deleted: the email is
    replaced by a pseudonym and the password hash by one no password matches, so it can
    never sign in again; its phone and two-factor secret go, and every session of it is
    signed out (returned, for the caller's process to refuse at once); the row stays for
    the audit log's actor ids (audited)."""
    account = session.get(Account, account_id)
    if account is None or account.role not in {r.value for r in PUBLIC_ROLES}:
        return []
    account.email = f"erased-{account.id}@erased.invalid"
    account.password_hash = "!erased"
    account.phone, account.totp_secret = None, None
    session.flush()
    audit.record(session, actor=actor, action="account.erase", object_type="account",
                 object_id=account.id, change={"erased": True})
    return sessions.revoke_all(session, account.id, actor, now)


def email_of(session: Session, account_id: int) -> str | None:
    """The sign-in email of an account (for the owner's own data export)."""
    return session.scalar(select(Account.email).where(Account.id == account_id))


def applicant_by_email(session: Session, email: str) -> int | None:
    """The id of the applicant account with this email (an NGO's hand-back target)."""
    return session.scalar(select(Account.id).where(Account.email == email.lower(),
                                                   Account.role == Role.applicant.value))


def sign_in(session: Session, ph: PasswordHasher, email: str, password: str,
            code: str | None, staff_two_factor: bool, now: dt.datetime,
            keys: TotpKeys) -> Principal:
    """Password, then a verified email, then the second factor if the account has one.

    ``full=False``: a staff account without two-factor while ``GARITA_STAFF_TWO_FACTOR``
    is required: the session may enrol and nothing else. A wrong second factor is an
    ``Unauthorized`` whose ``two_factor`` extra tells the client to ask for the code.
    """
    who = authenticate(session, ph, email, password)
    account = session.get(Account, who.account_id)
    assert account is not None
    if account.email_verified_at is None:
        raise Forbidden("Confirm your email first: enter the code we sent, open its link, or "
                        "ask for a new one.")
    if account.totp_enabled_at is not None:
        if not code:
            raise Unauthorized("This account uses two-factor sign-in: send the code from the "
                               "authenticator app (or a recovery code) too.", two_factor=True)
        if not twofactor.passes(session, account, keys, code, now):
            raise Unauthorized("The two-factor code is wrong or already used; send the "
                               "current code from the app or an unused recovery code.",
                               two_factor=True)
        return who
    if who.role in STAFF_ROLES and staff_two_factor:
        return who.model_copy(update={"full": False})
    return who


def account_of(session: Session, who: Principal) -> Account:
    account = session.get(Account, who.account_id)
    if account is None:
        raise Unauthorized("Your token is invalid or expired; sign in again at /auth/token.")
    return account


PHONE_CODE_GAP = dt.timedelta(seconds=60)


def _phone_purpose(registration_id: int) -> str:
    return f"phone:{registration_id}"


def issue_phone_code(session: Session, account_id: int, registration_id: int, phone: str,
                     minutes: int, now: dt.datetime) -> tuple[str, str]:
    """A six-digit code proving ``phone`` for a registration of this account: (an id for
    the message's event key, the code). Only its hash is kept, bound to the number; an
    earlier code for the registration stops working; one a minute (an SMS costs money
    and reaches a person who may not have asked)."""
    account = session.get(Account, account_id)
    if account is None:
        raise Unauthorized("Your token is invalid or expired; sign in again at /auth/token.")
    purpose = _phone_purpose(registration_id)
    if codes.issued_since(session, account_id, purpose, now - PHONE_CODE_GAP):
        raise TooMany("A code was sent to this phone less than a minute ago; wait a minute "
                      "before asking for another.", retry_after=60)
    token, code = codes.issue(session, account, purpose, minutes, now, with_code=True,
                              bound=phone)
    assert code is not None
    return codes.digest(token), code


def check_phone_code(session: Session, account_id: int, registration_id: int, phone: str,
                     code: str, now: dt.datetime) -> bool:
    """The typed code against the live one for this registration and number; a wrong try
    counts (five end it), so the caller commits before refusing."""
    return codes.use_code(session, account_id, _phone_purpose(registration_id), code, now,
                          bound=phone)
