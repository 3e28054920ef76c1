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
from garita.db import paged
from garita.errors import Conflict, Invalid, NotFound
from garita.policy import calendar
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


def version_page(session: Session, *, limit: int, offset: int, newest_first: bool = False,
                 effective_from: dt.date | None = None, effective_to: dt.date | None = None,
                 ) -> tuple[list[PolicyVersionOut], int]:
    """A page of versions by the day they take effect (inclusive bounds), and the total."""
    q = select(PolicyVersion)
    if effective_from is not None:
        q = q.where(PolicyVersion.effective_from >= effective_from)
    if effective_to is not None:
        q = q.where(PolicyVersion.effective_from <= effective_to)
    key = PolicyVersion.effective_from
    rows, total = paged(session, q, [key.desc() if newest_first else key],
                        limit=limit, offset=offset)
    return [to_out(r) for r in rows], total


def in_force(session: Session, day: dt.date) -> PolicyVersionOut:
    """The version in force on ``day``: the latest one effective on or before it."""
    row = session.scalar(
        select(PolicyVersion).where(PolicyVersion.effective_from <= day)
        .order_by(PolicyVersion.effective_from.desc()).limit(1)
    )
    if row is None:
        first = session.scalar(select(PolicyVersion.effective_from)
                               .order_by(PolicyVersion.effective_from).limit(1))
        raise _no_policy(day, first)
    return to_out(row)


def _no_policy(day: dt.date, first: dt.date | None) -> NotFound:
    hint = f"the first version starts on {first}" if first else "no versions are loaded"
    return NotFound(f"No policy is in force on {day}: {hint}.")


class VersionCache:
    """Every policy version, held per process for the hot request path.

    Exact, not time-based: the caller reads :data:`STAMP_SQL` alongside its
    own query (one round trip) and calls :meth:`load` when the stamp differs,
    so a version added by any process is seen by the next request. Versions
    are only ever inserted, so (count, max id, max created_at) changes with
    every addition, also across a truncate-and-reseed.
    """

    STAMP_SQL = ("(SELECT count(*) || '/' || coalesce(max(id), 0) || '/' || "
                 "coalesce(max(created_at)::text, '') FROM policy_version)")
    ROWS_SQL = ("SELECT id, effective_from, note, body, created_at, created_by "
                "FROM policy_version ORDER BY effective_from")

    def __init__(self) -> None:
        self.stamp: str | None = None
        self._versions: list[PolicyVersionOut] = []

    def load(self, stamp: str, rows: list[tuple]) -> None:
        self._versions = [
            PolicyVersionOut(id=r[0], effective_from=r[1], note=r[2],
                             policy=Policy.model_validate(r[3]), created_at=r[4],
                             created_by=r[5])
            for r in rows
        ]
        self.stamp = stamp

    def in_force(self, day: dt.date) -> PolicyVersionOut:
        """Same answer as :func:`in_force`, from memory."""
        found = None
        for v in self._versions:
            if v.effective_from > day:
                break
            found = v
        if found is None:
            raise _no_policy(day, self._versions[0].effective_from if self._versions else None)
        return found


def policy_now(session: Session, now: dt.datetime) -> tuple[int, Policy, dt.date]:
    """The policy in force at this moment in its own time zone: (version id, policy, since)."""
    version = calendar.resolve_now(lambda day: in_force(session, day), now)
    return version.id, version.policy, version.effective_from
