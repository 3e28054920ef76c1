"""The audit log's hash chains catch an edited, deleted or reordered entry."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from garita.audit import service as audit
from garita.audit.core import GENESIS, Entry, link_hash, verify_lane
from garita.audit.models import AuditEntry
from garita.db import make_engine, make_sessionmaker, transaction


def _chain(n: int) -> list[Entry]:
    out, prev = [], GENESIS
    for seq in range(1, n + 1):
        e = Entry(0, seq, "2024-09-10T12:00:00+00:00", "admin:1", "x.do", "thing", str(seq),
                  "d" * 64, prev, "")
        e = Entry(*[*e.__dict__.values()][:-1], link_hash(prev, e.fields()))
        out.append(e)
        prev = e.hash
    return out


def test_intact_chain_verifies():
    assert verify_lane(_chain(5)) is None


def test_edited_entry_is_named():
    chain = _chain(5)
    e = chain[2]
    chain[2] = Entry(e.lane, e.seq, e.at, "admin:2", e.action, e.object_type, e.object_id,
                     e.digest, e.prev_hash, e.hash)
    broken = verify_lane(chain)
    assert broken is not None and broken.seq == 3 and "edited" in broken.problem


def test_deleted_entry_is_named():
    chain = _chain(5)
    del chain[1]
    broken = verify_lane(chain)
    assert broken is not None and broken.seq == 2 and "missing" in broken.problem


def test_reordered_entries_are_caught():
    chain = _chain(5)
    chain[1], chain[2] = chain[2], chain[1]
    assert verify_lane(sorted(chain, key=lambda e: e.seq)) is None  # order is by seq...
    swapped = [chain[0], chain[1], chain[2], *chain[3:]]
    assert verify_lane(swapped) is not None  # ...and a walk in stored order breaks


def _write(url: str, n: int) -> None:
    with transaction(make_sessionmaker(make_engine(url))) as s:
        for i in range(n):
            with s.begin_nested():
                s.info.pop("audit_lane", None)
                audit.record(s, actor="admin:1", action="test.do", object_type="thing",
                             object_id=i, change={"i": i}, lanes=2)


def test_database_tampering_is_detected(database_url):
    _write(database_url, 20)
    sessions = make_sessionmaker(make_engine(database_url))
    with sessions() as s:
        checked, breaks = audit.verify(s)
    assert breaks == [] and checked >= 20
    with transaction(sessions) as s:
        target = s.scalar(select(AuditEntry).where(AuditEntry.action == "test.do")
                          .order_by(AuditEntry.id).offset(3).limit(1))
        lane, seq = target.lane, target.seq
        s.execute(update(AuditEntry).where(AuditEntry.id == target.id).values(actor="someone"))
    with sessions() as s:
        _, breaks = audit.verify(s)
    assert [(b.lane, b.seq) for b in breaks] == [(lane, seq)]
    with transaction(sessions) as s:
        last = s.scalar(select(AuditEntry).where(AuditEntry.lane != lane)
                        .order_by(AuditEntry.seq.desc()).limit(1))
        s.execute(delete(AuditEntry).where(AuditEntry.id == last.id))
    with sessions() as s:
        _, breaks = audit.verify(s)
    assert len(breaks) == 2 and any("missing" in b.problem for b in breaks)
