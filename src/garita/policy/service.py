"""Which rules were in force on a day; adding a version (audited).

A version may only take effect from today on (in the policy's time zone) and
never on a day whose draw has already run: the past stays as it was decided.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.errors import Conflict, Invalid, NotFound
from garita.policy.models import PolicyVersion
from garita.policy.schemas import Policy, PolicyVersionIn, PolicyVersionOut


def shipped_history() -> list[PolicyVersionIn]:
    """The real 2023-2025 rules (DESIGN §3), shipped as data inside the package."""
    raw = json.loads(resources.files("garita.policy").joinpath("history.json").read_text("utf-8"))
    return [PolicyVersionIn.model_validate(v) for v in raw["versions"]]


def seed_history(session: Session) -> int:
    """Load the shipped history into an empty table; returns versions added."""
    if session.scalar(select(PolicyVersion.id).limit(1)) is not None:
        return 0
    history = shipped_history()
    for version in history:
        insert_version(session, version, actor="system:history")
    return len(history)


def insert_version(session: Session, data: PolicyVersionIn, actor: str) -> PolicyVersion:
    """Store a version without the no-past check: for shipped history and demo setup only."""
    row = PolicyVersion(
        effective_from=data.effective_from, note=data.note,
        body=data.policy.model_dump(mode="json"),
        created_at=dt.datetime.now(dt.UTC), created_by=actor,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="policy.add", object_type="policy_version",
                 object_id=row.id, change={"effective_from": data.effective_from,
                                           "policy": row.body})
    return row


def add_version(session: Session, data: PolicyVersionIn, actor: str, today: dt.date,
                last_drawn: dt.date | None) -> PolicyVersionOut:
    if data.effective_from < today:
        raise Invalid(f"A new version cannot change the past: effective_from must be {today} "
                      "or later.")
    if last_drawn is not None and data.effective_from <= last_drawn:
        raise Conflict(f"The draw for {last_drawn} has already run; choose a date after it.")
    if session.scalar(select(PolicyVersion.id).where(
            PolicyVersion.effective_from == data.effective_from)) is not None:
        raise Conflict(f"A version already starts on {data.effective_from}; pick another day.")
    return to_out(insert_version(session, data, actor))


def to_out(row: PolicyVersion) -> PolicyVersionOut:
    return PolicyVersionOut(id=row.id, effective_from=row.effective_from, note=row.note,
                            policy=Policy.model_validate(row.body), created_at=row.created_at,
                            created_by=row.created_by)


def versions(session: Session) -> list[PolicyVersionOut]:
    rows = session.scalars(select(PolicyVersion).order_by(PolicyVersion.effective_from))
    return [to_out(r) for r in rows]


def in_force(session: Session, day: dt.date) -> PolicyVersionOut:
    """The version in force on ``day``: the latest one effective on or before it."""
    row = session.scalar(
        select(PolicyVersion).where(PolicyVersion.effective_from <= day)
        .order_by(PolicyVersion.effective_from.desc()).limit(1)
    )
    if row is None:
        first = session.scalar(select(PolicyVersion.effective_from)
                               .order_by(PolicyVersion.effective_from).limit(1))
        hint = f"the first version starts on {first}" if first else "no versions are loaded"
        raise NotFound(f"No policy is in force on {day}: {hint}.")
    return to_out(row)
