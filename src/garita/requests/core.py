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
from collections import defaultdict
from collections.abc import Callable, Iterable
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
    # (registration id, its owner's account id) of another registration sharing a person
    # that asked for the same day: one entry per person per draw.
    entered_through: tuple[int, int] | None = None


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
    if facts.entered_through is not None:
        raise entered_twice(window.service_date, facts.owner_id, *facts.entered_through)
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


def entered_twice(day: dt.date, owner_id: int, other_id: int, other_owner_id: int) -> Conflict:
    """The refusal of a second entry of one person: the other registration is named only
    when the caller's own account holds it (a request is made by the registration's
    owner), never another account's."""
    if other_owner_id == owner_id:
        return Conflict(f"A person in this registration already entered the draw for {day} "
                        f"through registration {other_id}; one entry per person per day.")
    return Conflict(f"A person in this registration already entered the draw for {day} "
                    "through a registration of another account; one entry per person per day.")


def one_entry_per_person(keyed: Iterable[tuple[int, dt.datetime, str]]) -> dict[int, int]:
    """Requests to set aside so no person enters one day's draw twice: request id → the id
    of the earlier request that stands for the same person.

    ``keyed`` is (request id, requested at, person key) of the day's requests. Requests
    are taken in (requested at, id) order; one stands unless a key of it belongs to a
    request that already stands. Deterministic: the same rows in any order give the
    same answer, and the draw records it in its published inputs.
    """
    keys: dict[int, set[str]] = defaultdict(set)
    when: dict[int, dt.datetime] = {}
    for request_id, at, key in keyed:
        keys[request_id].add(key)
        when[request_id] = at
    owner: dict[str, int] = {}
    aside: dict[int, int] = {}
    for request_id in sorted(keys, key=lambda i: (when[i], i)):
        taken = [owner[k] for k in keys[request_id] if k in owner]
        if taken:
            aside[request_id] = min(taken, key=lambda i: (when[i], i))
        else:
            owner.update(dict.fromkeys(keys[request_id], request_id))
    return aside


def audit_change(values: dict[str, Any]) -> dict[str, Any]:
    return {"registration": values["registration_id"], "day": values["service_date"],
            "port": values["port"], "zone": values["zone"]}
