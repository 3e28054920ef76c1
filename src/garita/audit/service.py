"""Append audit entries inside the caller's transaction; verify the chains."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from garita.audit.core import GENESIS, Break, Entry, digest_of, link_hash, verify_lane
from garita.audit.models import AuditEntry, AuditHead

LANES = 16  # parallel hash chains; one per writer in flight is plenty

def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: Any,
    change: Any,
    lanes: int = LANES,
) -> AuditEntry:
    """Append one entry to a lane, in the same transaction as the change.

    The head row is read ``FOR UPDATE`` so two writers of one lane queue up
    instead of forking the chain; SQLite serialises writers anyway. A
    transaction keeps one lane for all its entries, so two transactions never
    wait on each other's lanes in opposite orders (no deadlock). A missing head
    is created with ``ON CONFLICT DO NOTHING`` and read again, so two first
    writers of a lane queue up too instead of both starting it at seq 1.
    """
    lane = session.info.setdefault("audit_lane", random.randrange(lanes))
    locked = select(AuditHead).where(AuditHead.lane == lane).with_for_update()
    head = session.execute(locked).scalar_one_or_none()
    if head is None:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(AuditHead).values(lane=lane, seq=0, hash=GENESIS)
                        .on_conflict_do_nothing())
        head = session.execute(locked.execution_options(populate_existing=True)).scalar_one()
    entry = next_entry(lane, head.seq, head.hash, actor=actor, action=action,
                       object_type=object_type, object_id=object_id, change=change)
    row = AuditEntry(
        lane=lane, seq=entry.seq, at=dt.datetime.fromisoformat(entry.at), actor=actor,
        action=action, object_type=object_type, object_id=entry.object_id, digest=entry.digest,
        prev_hash=entry.prev_hash, hash=entry.hash,
    )
    session.add(row)
    head.seq, head.hash = entry.seq, entry.hash
    return row


def next_entry(lane: int, head_seq: int, head_hash: str, *, actor: str, action: str,
               object_type: str, object_id: Any, change: Any) -> Entry:
    """The entry that follows a lane's head (pure: the one place the chain format lives)."""
    at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    entry = Entry(
        lane=lane, seq=head_seq + 1, at=at.isoformat(), actor=actor, action=action,
        object_type=object_type, object_id=str(object_id), digest=digest_of(change),
        prev_hash=head_hash, hash="",
    )
    return dataclasses.replace(entry, hash=link_hash(entry.prev_hash, entry.fields()))


def _as_entry(row: AuditEntry) -> Entry:
    return Entry(row.lane, row.seq, row.at.isoformat(), row.actor, row.action, row.object_type,
                 row.object_id, row.digest, row.prev_hash, row.hash)


def verify(session: Session) -> tuple[int, list[Break]]:
    """Recompute every lane; return (entries checked, first break per broken lane).

    A lane whose stored head is ahead of its last entry lost its tail (deleted
    entries), which is reported too.
    """
    checked, breaks = 0, []
    heads = {h.lane: h for h in session.scalars(select(AuditHead))}
    lanes = sorted(set(heads) | set(session.scalars(select(AuditEntry.lane).distinct())))
    for lane in lanes:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.lane == lane).order_by(AuditEntry.seq)
        ).all()
        checked += len(rows)
        problem = verify_lane(_as_entry(r) for r in rows)
        head = heads.get(lane)
        last = rows[-1].seq if rows else 0
        if problem is None and head is not None and head.seq != last:
            problem = Break(lane, last + 1, f"entries {last + 1}..{head.seq} are missing")
        if problem:
            breaks.append(problem)
    return checked, breaks
