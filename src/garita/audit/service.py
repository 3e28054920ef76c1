"""Append audit entries inside the caller's transaction; verify the chains."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from garita.audit.core import GENESIS, Break, Entry, next_entry, verify_lane
from garita.audit.models import AuditEntry, AuditHead
from garita.identity import STAFF_ROLES, Principal

LANES = 16  # parallel hash chains; one per writer in flight is plenty


def record(session: Session, *, actor: str, action: str, object_type: str, object_id: Any,
           change: Any, lanes: int = LANES) -> None:
    """Append one entry to a lane, in the same transaction as the change (see
    :func:`_lock_head` for how concurrent writers of a lane queue up)."""
    record_many(session, [{"actor": actor, "action": action, "object_type": object_type,
                           "object_id": object_id, "change": change}], lanes=lanes)


def record_many(session: Session, entries: list[dict], *, lanes: int = LANES) -> int:
    """Append many entries (dicts of ``record``'s keyword arguments) to one lane at once.

    The transaction's lane head is locked once, the links computed in Python, the
    entries inserted with one executemany and the head moved once: a batch job
    raising a million alerts cannot afford a flush and a head update per entry.
    Returns how many were appended.
    """
    if not entries:
        return 0
    at = now(session)
    head = _lock_head(session, lanes)
    seq, prev, rows = head.seq, head.hash, []
    for e in entries:
        entry = next_entry(head.lane, seq, prev, at, **e)
        rows.append(_row(entry))
        seq, prev = entry.seq, entry.hash
    session.execute(insert(AuditEntry), rows)
    head.seq, head.hash = seq, prev
    return len(rows)


def now(session: Session) -> dt.datetime:
    """The time entries are stamped with: the clock the edge put on the session (the
    service's clock, which ``GARITA_CLOCK_START`` may set), else the wall clock."""
    clock = session.info.get("clock")
    return clock() if clock is not None else dt.datetime.now(dt.UTC)


def _lock_head(session: Session, lanes: int) -> AuditHead:
    """This transaction's lane head, locked (created at GENESIS if the lane is new).

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
        upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(upsert(AuditHead).values(lane=lane, seq=0, hash=GENESIS)
                        .on_conflict_do_nothing())
        head = session.execute(locked.execution_options(populate_existing=True)).scalar_one()
    return head


def _row(entry: Entry) -> dict:
    return {"lane": entry.lane, "seq": entry.seq, "at": dt.datetime.fromisoformat(entry.at),
            "actor": entry.actor, "action": entry.action, "object_type": entry.object_type,
            "object_id": entry.object_id, "digest": entry.digest,
            "prev_hash": entry.prev_hash, "hash": entry.hash}


class _LaneEntries:
    """One lane's entries in seq order, streamed a chunk at a time (one screening run
    can put a million entries in one lane); counts what it has yielded."""

    COLUMNS = (AuditEntry.lane, AuditEntry.seq, AuditEntry.at, AuditEntry.actor,
               AuditEntry.action, AuditEntry.object_type, AuditEntry.object_id,
               AuditEntry.digest, AuditEntry.prev_hash, AuditEntry.hash)

    def __init__(self, session: Session, lane: int) -> None:
        self._session, self._lane = session, lane
        self.count = self.last = 0

    def __iter__(self) -> Iterator[Entry]:
        rows = self._session.execute(
            select(*self.COLUMNS).where(AuditEntry.lane == self._lane)
            .order_by(AuditEntry.seq).execution_options(yield_per=10_000))
        for r in rows:
            self.count, self.last = self.count + 1, r.seq
            yield Entry(r.lane, r.seq, r.at.isoformat(), r.actor, r.action, r.object_type,
                        r.object_id, r.digest, r.prev_hash, r.hash)


def verify(session: Session) -> tuple[int, list[Break]]:
    """Recompute every lane; return (entries checked, first break per broken lane).

    A lane whose stored head is ahead of its last entry lost its tail (deleted
    entries), which is reported too.
    """
    checked, breaks = 0, []
    heads = {h.lane: h.seq for h in session.scalars(select(AuditHead))}
    lanes = sorted(set(heads) | set(session.scalars(select(AuditEntry.lane).distinct())))
    for lane in lanes:
        lane_entries = _LaneEntries(session, lane)
        walk = iter(lane_entries)
        problem = verify_lane(walk)
        for _ in walk:  # after a break, still count the rest
            pass
        head = heads.get(lane)
        if problem is None and head is not None and head != lane_entries.last:
            problem = Break(lane, lane_entries.last + 1,
                            f"entries {lane_entries.last + 1}..{head} are missing")
        checked += lane_entries.count
        if problem:
            breaks.append(problem)
    return checked, breaks


def heads(session: Session) -> list[tuple[int, int, str]]:
    """Every lane's head (lane, seq, hash): what an anchor signs."""
    rows = session.execute(select(AuditHead.lane, AuditHead.seq, AuditHead.hash)
                           .order_by(AuditHead.lane))
    return [(r.lane, r.seq, r.hash) for r in rows]


def lane_lengths(session: Session) -> dict[int, int]:
    """The last ``seq`` of each lane that has entries (the heads are not trusted here)."""
    rows = session.execute(select(AuditEntry.lane, func.max(AuditEntry.seq))
                           .group_by(AuditEntry.lane))
    return {lane: last for lane, last in rows}


def hashes_at(session: Session, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The stored hashes of these (lane, seq) entries, for those that exist."""
    wanted, out = sorted(set(pairs)), {}
    for i in range(0, len(wanted), 500):
        rows = session.execute(select(AuditEntry.lane, AuditEntry.seq, AuditEntry.hash)
                               .where(tuple_(AuditEntry.lane, AuditEntry.seq)
                                      .in_(wanted[i:i + 500])))
        out.update({(r.lane, r.seq): r.hash for r in rows})
    return out


def record_reads(session: Session, who: Principal, action: str, object_type: str,
                 object_ids: Iterable[Any], route: str) -> int:
    """Audit a staff member's read of personal data: one entry per object read.

    Only staff reads are recorded (an applicant reading their own registration is
    not oversight's concern). The entry holds the action, the object's id, the staff
    actor and the route read — never the data itself.
    """
    if who.role not in STAFF_ROLES:
        return 0
    return record_many(session, [{"actor": who.actor, "action": action,
                                  "object_type": object_type, "object_id": oid,
                                  "change": {"route": route}}
                                 for oid in dict.fromkeys(object_ids)])


def entries_for(session: Session, object_type: str, object_id: Any) -> list[dict]:
    """What the log says was done to one object (time, actor, action), oldest first: the
    owner's data export shows it. Entries hold no personal data, only a digest."""
    rows = session.execute(select(AuditEntry.at, AuditEntry.actor, AuditEntry.action)
                           .where(AuditEntry.object_type == object_type,
                                  AuditEntry.object_id == str(object_id))
                           .order_by(AuditEntry.at, AuditEntry.id))
    return [{"at": r.at.isoformat(), "actor": r.actor, "action": r.action} for r in rows]


def actors_of(session: Session, object_type: str, object_ids: list[Any],
              action: str) -> dict[str, list[str]]:
    """Who did ``action`` to each of these objects (object id as text → actors, oldest
    first); one query. For a feature that must tell apart a person's own act from the
    scheme's (``garita.offers.service.ended_by_holder``)."""
    found: dict[str, list[str]] = {}
    keys = [str(i) for i in object_ids]
    for i in range(0, len(keys), 500):
        rows = session.execute(select(AuditEntry.object_id, AuditEntry.actor)
                               .where(AuditEntry.object_type == object_type,
                                      AuditEntry.action == action,
                                      AuditEntry.object_id.in_(keys[i:i + 500]))
                               .order_by(AuditEntry.at, AuditEntry.id))
        for oid, actor in rows:
            found.setdefault(oid, []).append(actor)
    return found
