"""Staff accounts: the list an admin manages, and a change of role or port (audited).

A token already issued keeps the role it was issued with until it expires
(``GARITA_TOKEN_MINUTES``; no server-side revocation yet, docs/pages.md).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.auth import sessions
from garita.auth.models import Account
from garita.auth.schemas import AccountOut, RoleChange
from garita.errors import Invalid, NotFound
from garita.identity import STAFF_ROLES, Principal, Role
from garita.policy.ports import PORT_CODES


def accounts(session: Session) -> list[AccountOut]:
    """Every staff account, by role then email."""
    rows = session.scalars(select(Account).where(
        Account.role.in_([r.value for r in STAFF_ROLES])).order_by(Account.role, Account.email))
    return [AccountOut.model_validate(a) for a in rows]


def change_role(session: Session, account_id: int, change: RoleChange, by: Principal,
                now: dt.datetime) -> tuple[AccountOut, list[str]]:
    """A staff account's new role (and port, for officers), and the sessions it ends: a
    token names its role, so every session of the account is signed out and the new role
    holds from the next sign-in."""
    account = session.get(Account, account_id, with_for_update=True)
    if account is None or Role(account.role) not in STAFF_ROLES:
        raise NotFound(f"No staff account {account_id}; list them at GET /auth/staff.")
    if account.id == by.account_id:
        raise Invalid("Admins cannot change their own role; ask another admin.")
    if change.role is Role.officer and change.port not in PORT_CODES:
        raise Invalid(f"An officer needs a port: one of {', '.join(PORT_CODES)}.")
    if change.role is not Role.officer and change.port is not None:
        raise Invalid("Only officers are attached to a port; leave port empty.")
    before = {"role": account.role, "port": account.port}
    account.role, account.port = change.role.value, change.port
    session.flush()
    audit.record(session, actor=by.actor, action="account.role", object_type="account",
                 object_id=account.id, change={"from": before,
                                               "to": {"role": account.role,
                                                      "port": account.port}})
    ended = sessions.revoke_all(session, account.id, by.actor, now)
    return AccountOut.model_validate(account), ended
