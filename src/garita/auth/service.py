"""Sign-up, login and staff accounts. Takes a session, never commits."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.auth.core import password_ok
from garita.auth.models import Account
from garita.auth.schemas import SignUp, StaffIn
from garita.errors import Conflict, Forbidden, Invalid, Unauthorized
from garita.identity import PUBLIC_ROLES, Principal, Role
from garita.policy.ports import PORT_CODES


def _exists(session: Session, email: str) -> bool:
    return session.scalar(select(Account.id).where(Account.email == email.lower())) is not None


def _create(session: Session, ph: PasswordHasher, email: str, password: str, role: Role,
            port: str | None, actor: str) -> Account:
    email = email.lower()
    if _exists(session, email):
        raise Conflict("An account with this email already exists; log in instead.")
    account = Account(email=email, password_hash=ph.hash(password), role=role.value, port=port,
                      created_at=dt.datetime.now(dt.UTC))
    session.add(account)
    session.flush()
    audit.record(session, actor=actor, action="account.create", object_type="account",
                 object_id=account.id, change={"role": role.value, "port": port})
    return account


def sign_up(session: Session, ph: PasswordHasher, data: SignUp) -> Account | None:
    """The new account, or None when the email already has one (nothing changes then).

    The caller answers both the same way, so sign-up cannot be used to learn who has
    an account; the password is hashed in both cases, so the time taken does not tell
    either. (Telling the owner by email that someone tried is the notifications' job.)
    """
    if data.role not in PUBLIC_ROLES:
        raise Forbidden("Only applicant and ngo accounts can sign up; staff accounts are "
                        "created by an admin.")
    if _exists(session, data.email):
        ph.hash(data.password)  # the same work as a creation
        return None
    return _create(session, ph, data.email, data.password, data.role, None, "self")


def create_staff(session: Session, ph: PasswordHasher, data: StaffIn, by: Principal) -> Account:
    if data.role is Role.officer and data.port not in PORT_CODES:
        raise Invalid(f"An officer needs a port: one of {', '.join(PORT_CODES)}.")
    if data.role is not Role.officer and data.port is not None:
        raise Invalid("Only officers are attached to a port; leave port empty.")
    return _create(session, ph, data.email, data.password, data.role, data.port, by.actor)


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


def close_account(session: Session, account_id: int, actor: str) -> None:
    """Erase an applicant's account when their last registration is deleted: the email is
    replaced by a pseudonym and the password hash by one no password matches, so it can
    never sign in again; the row stays for the audit log's actor ids (audited)."""
    account = session.get(Account, account_id)
    if account is None or account.role not in {r.value for r in PUBLIC_ROLES}:
        return
    account.email = f"erased-{account.id}@erased.invalid"
    account.password_hash = "!erased"
    session.flush()
    audit.record(session, actor=actor, action="account.erase", object_type="account",
                 object_id=account.id, change={"erased": True})


def email_of(session: Session, account_id: int) -> str | None:
    """The sign-in email of an account (for the owner's own data export)."""
    return session.scalar(select(Account.email).where(Account.id == account_id))


def applicant_by_email(session: Session, email: str) -> int | None:
    """The id of the applicant account with this email (an NGO's hand-back target)."""
    return session.scalar(select(Account.id).where(Account.email == email.lower(),
                                                   Account.role == Role.applicant.value))
