"""Pure hash-chain arithmetic for the audit log.

The log is ``lanes`` parallel hash chains. One global chain would make every
writer wait for the previous commit; with lanes, concurrent transactions append
to different chains and each chain is still tamper-evident: an edited, deleted
or reordered entry breaks its lane's links or leaves a gap in its ``seq``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def digest_of(change: Any) -> str:
    """SHA-256 of a canonical JSON form of the change (personal data is not stored, only this)."""
    blob = json.dumps(change, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def link_hash(prev_hash: str, fields: Sequence[Any]) -> str:
    """Hash of one entry: the previous entry's hash followed by the entry's own fields."""
    blob = json.dumps([prev_hash, *fields], separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def middle_fields(at: str, actor: str, action: str, object_type: str) -> str:
    """The JSON text :func:`link_hash` writes between an entry's ``seq`` and its
    ``object_id``, for :func:`link_hash_sql` (Python's own escaping, so the two agree)."""
    return json.dumps([at, actor, action, object_type], separators=(",", ":"))[1:-1]


def link_hash_sql(prev_hash: str, lane: str, seq: str, middle: str, object_id: str,
                  digest: str) -> str:
    """:func:`link_hash` as a PostgreSQL expression over SQL expressions, so one
    statement can lock a lane's head, link the entry and move the head (the hot
    request route). ``object_id`` must be digits and ``digest``/``prev_hash`` hex:
    no JSON escaping is needed for them; ``middle`` comes from :func:`middle_fields`."""
    parts = (f"'[\"' || ({prev_hash}) || '\",' || ({lane}) || ',' || ({seq}) || ',' || "
             f"({middle}) || ',\"' || ({object_id}) || '\",\"' || ({digest}) || '\"]'")
    return f"encode(sha256(convert_to({parts}, 'UTF8')), 'hex')"


@dataclass(frozen=True)
class Entry:
    lane: int
    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    digest: str
    prev_hash: str
    hash: str

    def fields(self) -> list[Any]:
        return [self.lane, self.seq, self.at, self.actor, self.action,
                self.object_type, self.object_id, self.digest]


@dataclass(frozen=True)
class Break:
    lane: int
    seq: int
    problem: str


def verify_lane(entries: Iterable[Entry]) -> Break | None:
    """Walk one lane in ``seq`` order; return the first broken link, or None."""
    prev_hash, expected_seq = GENESIS, 1
    for e in entries:
        if e.seq != expected_seq:
            return Break(e.lane, expected_seq, f"entry {expected_seq} is missing (found {e.seq})")
        if e.prev_hash != prev_hash:
            return Break(e.lane, e.seq, "previous-hash link does not match the entry before")
        if link_hash(e.prev_hash, e.fields()) != e.hash:
            return Break(e.lane, e.seq, "entry content does not match its hash (edited)")
        prev_hash, expected_seq = e.hash, expected_seq + 1
    return None


def next_entry(lane: int, head_seq: int, head_hash: str, at: dt.datetime, *, actor: str,
               action: str, object_type: str, object_id: Any, change: Any) -> Entry:
    """The entry that follows a lane's head, stamped ``at`` (UTC, whole seconds): the one
    place the chain format lives."""
    at = at.astimezone(dt.UTC).replace(microsecond=0)
    entry = Entry(
        lane=lane, seq=head_seq + 1, at=at.isoformat(), actor=actor, action=action,
        object_type=object_type, object_id=str(object_id), digest=digest_of(change),
        prev_hash=head_hash, hash="",
    )
    return dataclasses.replace(entry, hash=link_hash(entry.prev_hash, entry.fields()))
