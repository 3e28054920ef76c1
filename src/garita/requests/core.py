"""The daily request: its rules, once.

:func:`decide` holds every rule of a request in order (visibility, scheme
open, one request per day and port, window, one hold at a time, geofence).
Two callers gather the facts it needs and store what it decides:

- ``service.make_request`` (a SQLAlchemy session: SQLite, the demo, the CLI);
- :func:`garita.requests.postgres.request` (the API on PostgreSQL): one
  statement that checks the stored facts and writes, then :func:`decide` on
  the facts it returns when it wrote nothing, for the refusal's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from garita.errors import Conflict, NotFound, Refused
from garita.geo import core as geo
from garita.identity import PUBLIC_ROLES, Principal
from garita.policy import calendar
from garita.policy.schemas import Policy
from garita.requests.schemas import RequestIn


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
    if owner_id is None or (who.role in PUBLIC_ROLES and owner_id != who.account_id):
        raise NotFound(f"Registration {registration_id} does not exist or is not yours.")


def same_request(existing_port: str, day: dt.date, port: str) -> None:
    if existing_port != port:
        raise Conflict(f"Already requested for {day} at {existing_port}; "
                       "one request per day. Try another port tomorrow.")


def decide(registration_id: int, facts: Facts, policy: Policy, since: dt.date,
           window: calendar.WindowCheck, data: RequestIn, now: dt.datetime,
           locator: geo.StateLocator,
           zone_at: Callable[[float, float], str | None] | None = None,
           ) -> dict[str, Any] | None:
    """The request rules after visibility. None: today's request exists (same port);
    otherwise the new row's values. Refusals raise; a closed window is said in the zone
    of the place the request came from (``zone_at``), the scheme's beside it."""
    if not policy.active:
        raise Refused(f"The scheme is closed since {since}: no requests are taken.")
    if facts.existing_port is not None:
        same_request(facts.existing_port, window.service_date, data.port)
        return None
    if not window.open:
        reader = zone_at(data.lat, data.lon) if zone_at is not None else None
        raise Refused(window.for_reader(reader).message)
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
