"""The hot route on PostgreSQL: a daily request in one trip over asyncpg.

The intake target (DESIGN §5: 2,000 requests/s on two cores, p99 < 100 ms)
leaves about half a millisecond of CPU per request for everything, so:

1. Python settles every rule that needs no stored fact: the policy in force
   (from the per-process :class:`~garita.policy.service.VersionCache`), the
   window, the scheme being open, and the geofence, evaluated once for each
   class of nationality the policy distinguishes (the lead's nationality is a
   stored fact, so the statement picks the zone that applies to it).
2. :class:`~garita.requests.batch.IntakeWriter` sends it, with the
   other requests in flight, in one statement that applies the stored-fact
   rules, inserts what passes with its linked audit entry, and returns every
   request's facts: one transaction, so nothing is half-written.
3. When nothing was inserted, :func:`~garita.requests.core.decide` runs on
   the facts the statement returned, with the same rules as every other path,
   and raises the refusal that applies (or answers today's request again).

Rare outcomes take a second trip: a stale policy cache (reload and redo) and a
parallel twin that won the unique (registration, day) key (read it back).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from garita.audit.core import digest_of, middle_fields
from garita.errors import Conflict, NotFound
from garita.geo import core as geo
from garita.geo.service import zone_at
from garita.identity import PUBLIC_ROLES, Principal
from garita.policy import calendar
from garita.policy.calendar import resolve_now
from garita.policy.service import VersionCache
from garita.requests.batch import ACTION, OBJECT_TYPE, IntakeWriter, Item
from garita.requests.core import Facts, audit_change, decide, same_request, visible
from garita.requests.schemas import RequestIn, RequestOut

_TWIN = ("SELECT id, port, group_size, state, zone, geo_version, requested_at "
         "FROM daily_request WHERE registration_id = $1 AND service_date = $2")


def _out(registration_id: int, day: dt.date, row: Any) -> RequestOut:
    rid, port, size, state, zone, version, at = row
    return RequestOut(id=rid, registration_id=registration_id, service_date=day, port=port,
                      group_size=size, state=state, zone=zone, geo_version=version,
                      requested_at=at.astimezone(dt.UTC))


def _zones(zones: geo.NationalityZones, registration_id: int, day: dt.date,
           port: str) -> dict[str, list[str | None] | None]:
    """Nationality ("*": any other) → [zone, its audit digest], None where not eligible."""
    picks: dict[str | None, list[str | None] | None] = {None: None}
    for zone in (zones.other, *zones.named.values()):
        if zone not in picks:
            change = audit_change({"registration_id": registration_id, "service_date": day,
                                   "port": port, "zone": zone})
            picks[zone] = [zone, digest_of(change)]
    return {**{nat: picks[zone] for nat, zone in zones.named.items()}, "*": picks[zones.other]}


async def request(writer: IntakeWriter, pool: Any, cache: VersionCache, who: Principal,
                  registration_id: int, data: RequestIn, now: dt.datetime,
                  locator: geo.StateLocator) -> tuple[RequestOut, bool]:
    """Record today's request: (request, created). ``writer`` sends it (with whatever
    else is in flight); ``pool`` serves the rare second trips."""
    at = dt.datetime.now(dt.UTC).replace(microsecond=0)  # when it was written, as audit.record
    middle = middle_fields(at.isoformat(), who.actor, ACTION, OBJECT_TYPE)
    for _ in range(3):  # again only after a policy reload
        if cache.stamp is None:
            await _reload(pool, cache)
        used = cache.stamp
        try:
            version, missing = resolve_now(cache.in_force, now), None
        except NotFound as exc:  # maybe only a stale cache; reported after visibility
            version, missing = None, exc
        policy = version.policy if version else None
        window = calendar.window_check(policy, now) if policy else None
        day = window.service_date if window else now.date()
        allowed = bool(policy and policy.active and window and window.open)
        zones = (geo.compile_policy(policy).zones_by_nationality(locator, data.lat, data.lon)
                 if allowed and policy else None)
        row = await writer.submit(Item(
            registration_id=registration_id, day=day, now=now, today=now.date(), stamp=used,
            account_id=who.account_id, owner_only=who.role in PUBLIC_ROLES,
            allowed=allowed, port=data.port, lat=data.lat, lon=data.lon,
            state=zones.state if zones else None,
            geo_version=zones.data_version if zones else "",
            zones=_zones(zones, registration_id, day, data.port) if zones else {},
            at=at, middle=middle, actor=who.actor))
        if row["stamp"] == used:
            break
        await _reload(pool, cache)
    visible(who, registration_id, row["owner_id"])
    if version is None or window is None:
        raise missing or NotFound("No policy is in force.")
    if row["id"] is not None:
        assert zones is not None  # the statement writes only allowed requests, which have zones
        return RequestOut(
            id=row["id"], registration_id=registration_id, service_date=day, port=data.port,
            group_size=row["group_size"], state=zones.state, zone=row["zone"],
            geo_version=zones.data_version, requested_at=now.astimezone(dt.UTC)), True
    facts = Facts(owner_id=row["owner_id"], group_size=row["group_size"],
                  registered_at=row["registered_at"], lead_nationality=row["lead_nationality"],
                  existing_port=row["q_port"],
                  hold=None if row["h_port"] is None else (row["h_port"], row["h_date"],
                                                           row["h_status"]),
                  entered_through=None if row["d_reg"] is None else (row["d_reg"],
                                                                     row["d_owner"]))
    values = decide(registration_id, facts, version.policy, version.effective_from, window,
                    data, now, locator, zone_at)  # refusals only: not on the insert path
    if values is None:
        return _out(registration_id, day, [row[k] for k in (
            "q_id", "q_port", "q_size", "q_state", "q_zone", "q_version", "q_at")]), False
    # Every rule passed yet nothing was inserted: a parallel twin took the key.
    async with pool.acquire() as conn:
        twin = await conn.fetchrow(_TWIN, registration_id, day)
    if twin is None:
        raise Conflict("A parallel request for this registration failed; retry.")
    same_request(twin[1], day, data.port)
    return _out(registration_id, day, twin), False


async def _reload(pool: Any, cache: VersionCache) -> None:
    async with pool.acquire() as conn:
        stamp = await conn.fetchval(f"SELECT {VersionCache.STAMP_SQL}")
        if stamp != cache.stamp:
            cache.load(stamp, await conn.fetch(VersionCache.ROWS_SQL))
