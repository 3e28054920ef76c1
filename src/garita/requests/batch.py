"""Group commit for the hot route: requests in flight together share one statement.

On two cores a PostgreSQL round trip (two socket writes, two wake-ups, a
commit) costs about as much CPU as the whole HTTP request around it, so one
trip per request caps intake near 1,000 requests/s whatever the statement
does. :class:`IntakeWriter` sends, in one statement and one transaction, every
request that arrived while the previous statement was running: nothing waits
on a timer, a lone request goes at once, and under load the trips grow fuller
instead of more numerous.

The statement (:data:`_BATCH`) applies to each item the stored-fact rules of
``intake.decide`` (owner, today's request, a live hold, a person who entered
today through another registration — by the members' stored keys, ``person_key``
— the nationality's zone, the policy stamp) and returns every item's facts in input order. Items that
pass are inserted and linked, in input order, as consecutive entries of one
audit lane: a recursive step computes each entry's hash from the one before
(:func:`~garita.audit.core.link_hash_sql`), under the lane head's row lock.
Two items for one registration and day: the first is inserted, the second
sees the first as its twin (read back by the caller).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import Callable
from typing import Any, NamedTuple

from garita.audit.core import GENESIS, link_hash_sql
from garita.audit.service import LANES
from garita.policy.service import VersionCache

ACTION, OBJECT_TYPE = "request.create", "daily_request"


class Item(NamedTuple):
    """One request, with everything Python decided before the database (a tuple:
    a batch's columns are ``zip(*items)``)."""

    registration_id: int
    day: dt.date
    now: dt.datetime
    today: dt.date  # the hold rule's "today" (UTC date of now)
    stamp: str | None  # the policy-cache stamp the Python rules used
    account_id: int
    owner_only: bool
    allowed: bool  # scheme open and window open
    port: str
    lat: float
    lon: float
    state: str | None
    geo_version: str
    zones: dict[str, list[str | None] | None]  # nationality or "*" → [zone, audit digest] or None
    at: dt.datetime  # audit time (whole seconds)
    middle: str  # audit JSON middle fields (audit.core.middle_fields)
    actor: str


_TYPES = ("bigint", "date", "timestamptz", "date", "text", "bigint", "boolean", "boolean",
          "text", "float8", "float8", "text", "text", "jsonb", "timestamptz", "text", "text")
_NAMES = Item._fields
assert len(_TYPES) == len(_NAMES)
_UNNEST = ", ".join(f"${i + 1}::{t}[]" for i, t in enumerate(_TYPES))
_LANE = f"${len(_TYPES) + 1}::int"

_BATCH = f"""
WITH RECURSIVE
s AS (SELECT {VersionCache.STAMP_SQL} AS stamp),
i AS (SELECT * FROM unnest({_UNNEST}) WITH ORDINALITY AS t({", ".join(_NAMES)}, k)),
f AS (
  SELECT i.*, r.owner_id, r.group_size, r.registered_at, r.lead_nationality,
         CASE WHEN i.zones ? upper(r.lead_nationality) THEN i.zones -> upper(r.lead_nationality)
              ELSE i.zones -> '*' END AS pick,
         q.id AS q_id, q.port AS q_port, q.group_size AS q_size, q.state AS q_state,
         q.zone AS q_zone, q.geo_version AS q_version, q.requested_at AS q_at,
         h.port AS h_port, h.appointment_date AS h_date, h.status AS h_status,
         d.registration_id AS d_reg, d.owner_id AS d_owner
  FROM i
  LEFT JOIN registration r ON r.id = i.registration_id
  LEFT JOIN daily_request q ON q.registration_id = i.registration_id AND q.service_date = i.day
  LEFT JOIN LATERAL (
    SELECT o.port, o.appointment_date, o.status FROM offer o
    WHERE o.registration_id = i.registration_id
      AND ((o.status = 'offered' AND o.confirm_deadline > i.now)
           OR (o.status = 'confirmed' AND o.appointment_date >= i.today))
    ORDER BY o.id DESC LIMIT 1) h ON true
  LEFT JOIN LATERAL (
    SELECT k2.registration_id, r2.owner_id FROM person_key k
    JOIN person_key k2 ON k2.key = k.key AND k2.registration_id <> k.registration_id
                          AND k2.shared
    JOIN daily_request q2 ON q2.registration_id = k2.registration_id AND q2.service_date = i.day
    JOIN registration r2 ON r2.id = k2.registration_id
    WHERE k.registration_id = i.registration_id AND k.shared
    ORDER BY q2.requested_at, q2.id LIMIT 1) d ON true),
ok AS (
  SELECT DISTINCT ON (f.registration_id, f.day) f.* FROM f, s
  WHERE f.allowed AND f.stamp = s.stamp AND (NOT f.owner_only OR f.owner_id = f.account_id)
    AND jsonb_typeof(f.pick) = 'array' AND f.q_id IS NULL AND f.h_port IS NULL
    AND f.d_reg IS NULL
  ORDER BY f.registration_id, f.day, f.k),
head AS (SELECT lane, seq, hash FROM audit_head
         WHERE lane = {_LANE} AND EXISTS (SELECT 1 FROM ok) FOR UPDATE),
ins AS (
  INSERT INTO daily_request (registration_id, service_date, port, group_size, registered_at,
                             lat, lon, state, zone, geo_version, requested_at)
  SELECT ok.registration_id, ok.day, ok.port, ok.group_size, ok.registered_at, ok.lat, ok.lon,
         ok.state, ok.pick ->> 0, ok.geo_version, ok.now
  FROM ok, head ORDER BY ok.registration_id, ok.day
  ON CONFLICT (registration_id, service_date) DO NOTHING
  RETURNING id, registration_id, service_date, zone),
numbered AS (
  SELECT ins.id, ins.zone, ok.k, ok.pick ->> 1 AS digest, ok.middle, ok.at, ok.actor,
         row_number() OVER (ORDER BY ok.k) AS n
  FROM ins JOIN ok ON ok.registration_id = ins.registration_id AND ok.day = ins.service_date),
chain (n, seq, hash, prev_hash, id, digest, at, actor) AS (
  SELECT 0::bigint, head.seq, head.hash::text, NULL::text, NULL::bigint, NULL::text,
         NULL::timestamptz, NULL::text FROM head
  UNION ALL
  SELECT m.n, c.seq + 1,
         {link_hash_sql("c.hash", _LANE, "c.seq + 1", "m.middle", "m.id", "m.digest")},
         c.hash, m.id, m.digest, m.at, m.actor
  FROM chain c JOIN numbered m ON m.n = c.n + 1),
entry AS (
  INSERT INTO audit_entry (lane, seq, at, actor, action, object_type, object_id, digest,
                           prev_hash, hash)
  SELECT {_LANE}, seq, at, actor, '{ACTION}', '{OBJECT_TYPE}', id::text, digest, prev_hash, hash
  FROM chain WHERE n > 0),
moved AS (
  UPDATE audit_head AS a SET seq = last.seq, hash = last.hash
  FROM (SELECT seq, hash FROM chain ORDER BY n DESC LIMIT 1) AS last
  WHERE a.lane = {_LANE} AND EXISTS (SELECT 1 FROM numbered))
SELECT s.stamp, f.owner_id, f.group_size, f.registered_at, f.lead_nationality,
       f.q_id, f.q_port, f.q_size, f.q_state, f.q_zone, f.q_version, f.q_at,
       f.h_port, f.h_date, f.h_status, f.d_reg, f.d_owner, m.id, m.zone,
       (SELECT count(*) FROM ok) AS passed, (SELECT count(*) FROM head) AS heads
FROM f CROSS JOIN s LEFT JOIN numbered m ON m.k = f.k
ORDER BY f.k
"""
_START_HEADS = ("INSERT INTO audit_head (lane, seq, hash) SELECT g, 0, $1 "
                "FROM generate_series(0, $2 - 1) AS g ON CONFLICT DO NOTHING")


class IntakeWriter:
    """Send queued items in batches of at most ``max_batch``, ``in_flight`` statements
    at a time per process.

    One in flight was measured best on two cores: the next batch fills while the
    database works, and fuller batches spread the statement's fixed cost (planning,
    the commit) over more requests. A batch that fails is sent again one item at a
    time, so a single bad item fails alone. Rows are inserted in (registration, day)
    order in every batch, so two batches never wait on each other's keys in opposite
    orders (no deadlock).
    """

    def __init__(self, pool: Any, max_batch: int = 128, in_flight: int = 1,
                 on_batch: Callable[[int], None] | None = None) -> None:
        self._pool, self._max, self._slots = pool, max_batch, in_flight
        self._on_batch = on_batch  # told each statement's size (metrics)
        self._queue: list[tuple[Item, asyncio.Future]] = []
        self._running = 0
        self._tasks: set[asyncio.Task[None]] = set()  # running drains, referenced until done
        self.statements = self.items = 0  # attempted so far (observability, tests)

    async def submit(self, item: Item) -> Any:
        """The item's result row (see :data:`_BATCH`'s final SELECT)."""
        future = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._running < self._slots:
            self._running += 1
            task = asyncio.get_running_loop().create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue[:self._max], self._queue[self._max:]
                try:
                    rows = await self._write([item for item, _ in batch])
                except Exception as exc:
                    if len(batch) == 1:
                        _settle(batch[0][1], exc=exc)
                        continue
                    for item, future in batch:  # alone, so one bad item fails alone
                        try:
                            _settle(future, row=(await self._write([item]))[0])
                        except Exception as alone:
                            _settle(future, exc=alone)
                    continue
                for (_, future), row in zip(batch, rows, strict=True):
                    _settle(future, row=row)
        finally:
            self._running -= 1

    async def _write(self, items: list[Item]) -> list[Any]:
        columns = list(zip(*items, strict=True))
        lane = random.randrange(LANES)
        async with self._pool.acquire() as conn:
            self.statements, self.items = self.statements + 1, self.items + len(items)
            if self._on_batch is not None:
                self._on_batch(len(items))
            rows = await conn.fetch(_BATCH, *columns, lane)
            if rows[0]["passed"] and not rows[0]["heads"]:
                # A database whose lanes were never started: start them all, then again.
                await conn.execute(_START_HEADS, GENESIS, LANES)
                rows = await conn.fetch(_BATCH, *columns, lane)
        return rows


def _settle(future: asyncio.Future, row: Any = None, exc: BaseException | None = None) -> None:
    if future.done():  # its request was cancelled (client gone)
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(row)
