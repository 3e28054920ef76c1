"""The daily request: its rules, once, and the lean PostgreSQL path of the hot route.

:func:`decide` holds every rule of a request in order (visibility, scheme
open, one request per day and port, window, one hold at a time, geofence).
Two callers gather the facts it needs and store what it decides:

- ``service.make_request`` (a SQLAlchemy session: SQLite, the demo, the CLI);
- :func:`request_pg` (the API on PostgreSQL): one read of every fact, then
  the insert and the audit append in one short transaction, over a psycopg
  async pool. The policy versions come from a per-process
  :class:`~garita.policy.service.VersionCache` checked against the table in
  that same read, so a new version is seen by the next request.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from garita import deps
from garita.audit import service as audit
from garita.auth.schemas import Principal, Role
from garita.errors import Conflict, NotFound, Refused
from garita.geo import core as geo
from garita.policy.schemas import Policy, PolicyVersionOut
from garita.policy.service import VersionCache
from garita.registrations.service import APPLICANT_ROLES
from garita.scheduling import calendar
from garita.scheduling.schemas import RequestIn, RequestOut


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about one registration on one service day."""

    owner_id: int
    group_size: int
    registered_at: dt.datetime
    lead_nationality: str
    existing_port: str | None  # today's request, if any
    hold: tuple[str, dt.date, str] | None  # (port, appointment date, status) of a live hold


def visible(who: Principal, registration_id: int, owner_id: int | None) -> None:
    """Its owner or staff; the same answer for "absent" and "not yours" (ids are no oracle)."""
    if owner_id is None or (who.role in APPLICANT_ROLES and owner_id != who.account_id):
        raise NotFound(f"Registration {registration_id} does not exist or is not yours.")


def resolve_now(in_force: Callable[[dt.date], PolicyVersionOut],
                now: dt.datetime) -> PolicyVersionOut:
    """The version in force at this moment in its own time zone."""
    first = in_force(now.date())
    here = calendar.local(now, first.policy.request_window.timezone).date()
    return first if here == now.date() else in_force(here)


def same_request(existing_port: str, day: dt.date, port: str) -> None:
    if existing_port != port:
        raise Conflict(f"Already requested for {day} at {existing_port}; "
                       "one request per day. Try another port tomorrow.")


def decide(registration_id: int, facts: Facts, policy: Policy, since: dt.date,
           window: calendar.WindowCheck, data: RequestIn, now: dt.datetime,
           locator: geo.StateLocator) -> dict[str, Any] | None:
    """The request rules after visibility. None: today's request exists (same port);
    otherwise the new row's values. Refusals raise."""
    if not policy.active:
        raise Refused(f"The scheme is closed since {since}: no requests are taken.")
    if facts.existing_port is not None:
        same_request(facts.existing_port, window.service_date, data.port)
        return None
    if not window.open:
        raise Refused(window.message)
    if facts.hold is not None:
        port, day, status = facts.hold
        raise Refused(f"This registration already holds an appointment ({port}, "
                      f"{day}, status {status}); no new request needed.")
    verdict = geo.evaluate(locator, policy, data.lat, data.lon, facts.lead_nationality)
    if not verdict.eligible:
        raise Refused(verdict.reason, state=verdict.state, data_version=verdict.data_version)
    return {
        "registration_id": registration_id, "service_date": window.service_date,
        "port": data.port, "group_size": facts.group_size,
        "registered_at": facts.registered_at, "lat": data.lat, "lon": data.lon,
        "state": verdict.state, "zone": verdict.zone or "", "geo_version": verdict.data_version,
        "requested_at": now,
    }


def audit_change(values: dict[str, Any]) -> dict[str, Any]:
    return {"registration": values["registration_id"], "day": values["service_date"],
            "port": values["port"], "zone": values["zone"]}


# ------------------------------------------------------------------ the route's dependency

_applicant = deps.require(Role.applicant, Role.ngo)


async def applicant_now(request: Request, token: Annotated[str | None, Depends(deps.bearer)]
                        ) -> tuple[Principal, dt.datetime]:
    """``Applicant`` and ``Now`` as one async dependency (no thread-pool hops)."""
    who = _applicant(deps.principal(request, token))
    return who, deps.now(request)


# ------------------------------------------------------------------ PostgreSQL, async

_FACTS = (
    "SELECT " + VersionCache.STAMP_SQL + ", r.owner_id, r.group_size, r.registered_at, "
    "r.lead_nationality, q.id, q.port, q.group_size, q.state, q.zone, q.geo_version, "
    "q.requested_at, h.port, h.appointment_date, h.status "
    "FROM (SELECT 1) AS one "
    "LEFT JOIN registration r ON r.id = %(reg)s "
    "LEFT JOIN daily_request q ON q.registration_id = r.id AND q.service_date = %(day)s "
    "LEFT JOIN LATERAL (SELECT o.port, o.appointment_date, o.status FROM offer o "
    "  WHERE o.registration_id = r.id AND ((o.status = 'offered' AND o.confirm_deadline > "
    "  %(now)s) OR (o.status = 'confirmed' AND o.appointment_date >= %(today)s)) "
    "  ORDER BY o.id DESC LIMIT 1) h ON true"
)
_INSERT = (
    "INSERT INTO daily_request (registration_id, service_date, port, group_size, "
    "registered_at, lat, lon, state, zone, geo_version, requested_at) VALUES "
    "(%(registration_id)s, %(service_date)s, %(port)s, %(group_size)s, %(registered_at)s, "
    "%(lat)s, %(lon)s, %(state)s, %(zone)s, %(geo_version)s, %(requested_at)s) "
    "ON CONFLICT (registration_id, service_date) DO NOTHING RETURNING id"
)
_TWIN = ("SELECT id, port, group_size, state, zone, geo_version, requested_at "
         "FROM daily_request WHERE registration_id = %s AND service_date = %s")


def _out(registration_id: int, day: dt.date, row: tuple) -> RequestOut:
    rid, port, size, state, zone, version, at = row
    return RequestOut(id=rid, registration_id=registration_id, service_date=day, port=port,
                      group_size=size, state=state, zone=zone, geo_version=version,
                      requested_at=at.astimezone(dt.UTC))


async def request_pg(conn: Any, cache: VersionCache, who: Principal, registration_id: int,
                     data: RequestIn, now: dt.datetime, locator: geo.StateLocator
                     ) -> tuple[RequestOut, bool]:
    """Record today's request on PostgreSQL: (request, created). ``conn``: psycopg
    ``AsyncConnection`` in autocommit mode (the transaction is opened here)."""
    for _ in range(3):  # again only if the policy versions changed meanwhile
        used = cache.stamp
        try:
            version, missing = resolve_now(cache.in_force, now), None
        except NotFound as exc:  # maybe only a stale cache; reported after visibility
            version, missing = None, exc
        window = calendar.window_check(version.policy, now) if version else None
        day = window.service_date if window else now.date()
        cur = await conn.execute(_FACTS, {"reg": registration_id, "day": day, "now": now,
                                          "today": now.date()})
        row = await cur.fetchone()
        if row[0] == used:
            break
        if row[0] != cache.stamp:  # not reloaded by a concurrent request meanwhile
            rows = await (await conn.execute(VersionCache.ROWS_SQL)).fetchall()
            cache.load(row[0], rows)
    visible(who, registration_id, row[1])
    if version is None or window is None:
        raise missing or NotFound("No policy is in force.")
    facts = Facts(owner_id=row[1], group_size=row[2], registered_at=row[3],
                  lead_nationality=row[4], existing_port=row[6],
                  hold=None if row[12] is None else (row[12], row[13], row[14]))
    values = decide(registration_id, facts, version.policy, version.effective_from, window,
                    data, now, locator)
    if values is None:
        return _out(registration_id, day, row[5:12]), False
    lane = random.randrange(audit.LANES)
    # Pipeline mode: BEGIN, the insert and the lane lock travel together, then the
    # audit append and COMMIT: two round trips for the whole write.
    async with conn.pipeline(), conn.transaction():
        inserted = await conn.execute(_INSERT, values)
        locked = await conn.execute(audit.LOCK_HEAD, (lane,))
        got = await inserted.fetchone()
        if got is None:  # the unique (registration, day) key: a parallel twin won
            twin = await (await conn.execute(_TWIN, (registration_id, day))).fetchone()
            if twin is None:
                raise Conflict("A parallel request for this registration failed; retry.")
            same_request(twin[1], day, data.port)
            return _out(registration_id, day, twin), False
        head = await audit.lock_head(conn, lane, locked)
        await audit.append(conn, lane, head, actor=who.actor, action="request.create",
                           object_type="daily_request", object_id=got[0],
                           change=audit_change(values))
    return RequestOut(id=got[0], **{k: v for k, v in values.items()
                                    if k in RequestOut.model_fields}), True
