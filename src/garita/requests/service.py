"""The daily request through a session (SQLite, the demo, the CLI). Never commits.

The rules are :func:`garita.requests.core.decide`; the API on PostgreSQL takes
:func:`garita.requests.postgres.request` to the same rules.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.geo import core as geo
from garita.geo.service import zone_at
from garita.identity import Principal
from garita.offers.service import current_hold
from garita.policy import calendar
from garita.policy.service import policy_now
from garita.registrations import service as registrations
from garita.requests import core as intake
from garita.requests.models import DailyRequest
from garita.requests.schemas import RequestIn


def make_request(session: Session, who: Principal, registration_id: int, data: RequestIn,
                 now: dt.datetime, locator: geo.StateLocator) -> tuple[DailyRequest, bool]:
    """Record today's request; returns (request, created). Repeating it returns the same one.

    The rules are :func:`garita.requests.core.decide`; this gathers their facts
    through a session (SQLite, demo, CLI). The API on PostgreSQL uses
    :func:`garita.requests.postgres.request`.
    """
    found = registrations.request_facts(session, registration_id)
    intake.visible(who, registration_id, found[0] if found else None)
    assert found is not None  # visible() refused otherwise
    owner_id, group_size, registered_at, lead_nationality = found
    _, policy, since = policy_now(session, now)
    window = calendar.window_check(policy, now)
    existing = session.scalar(select(DailyRequest).where(
        DailyRequest.registration_id == registration_id,
        DailyRequest.service_date == window.service_date))
    hold = None if existing is not None else current_hold(session, registration_id, now)
    facts = intake.Facts(
        owner_id=owner_id, group_size=group_size, registered_at=registered_at,
        lead_nationality=lead_nationality,
        existing_port=existing.port if existing is not None else None,
        hold=(hold.port, hold.appointment_date, hold.status) if hold is not None else None)
    values = intake.decide(registration_id, facts, policy, since, window, data, now, locator,
                           zone_at)
    if values is None:  # decide() answers None only for today's existing request
        assert existing is not None
        return existing, False
    req = DailyRequest(**values)
    try:
        with session.begin_nested():
            session.add(req)
            session.flush()
    except IntegrityError:  # the unique (registration, day) key: a parallel twin won
        twin = session.scalar(select(DailyRequest).where(
            DailyRequest.registration_id == registration_id,
            DailyRequest.service_date == window.service_date))
        if twin is None:
            raise
        intake.same_request(twin.port, twin.service_date, data.port)
        return twin, False
    audit.record(session, actor=who.actor, action="request.create", object_type="daily_request",
                 object_id=req.id, change=intake.audit_change(values))
    return req, True


def registrations_of(session: Session, request_ids: list[int]) -> dict[int, int]:
    """request id → registration id."""
    out: dict[int, int] = {}
    for i in range(0, len(request_ids), 10_000):  # bounded IN lists
        out.update(session.execute(select(DailyRequest.id, DailyRequest.registration_id).where(
            DailyRequest.id.in_(request_ids[i:i + 10_000]))).all())
    return out


def last_request(session: Session, registration_id: int) -> DailyRequest | None:
    return session.scalar(select(DailyRequest).where(
        DailyRequest.registration_id == registration_id)
        .order_by(DailyRequest.service_date.desc()).limit(1))


def between(session: Session, start: dt.date, end: dt.date) -> list[tuple]:
    """(id, service date, port, group size, origin state, registration id) of the requests
    made on days in [start, end]: the fairness report's input."""
    return [tuple(r) for r in session.execute(select(
        DailyRequest.id, DailyRequest.service_date, DailyRequest.port, DailyRequest.group_size,
        DailyRequest.state, DailyRequest.registration_id)
        .where(DailyRequest.service_date.between(start, end)))]
def registrations_that_asked(port: str | None = None, day: dt.date | None = None) -> Select:
    """Ids of registrations that asked for this port (on this service day): a list filter."""
    query = select(DailyRequest.registration_id)
    if port is not None:
        query = query.where(DailyRequest.port == port)
    if day is not None:
        query = query.where(DailyRequest.service_date == day)
    return query


def asked_from(session: Session, day: dt.date, states: list[str]) -> list[tuple[int, str, str]]:
    """(request id, state, port) of the day's requests made from these states: the draw
    gives corridor-area requests an appointment day the buses can reach."""
    return [(int(i), str(s), str(p)) for i, s, p in session.execute(
        select(DailyRequest.id, DailyRequest.state, DailyRequest.port)
        .where(DailyRequest.service_date == day, DailyRequest.state.in_(states)))]


def location_of(session: Session, request_id: int) -> tuple[float, float] | None:
    """(lat, lon) a request was made from: messages name times in that place's zone."""
    row = session.execute(select(DailyRequest.lat, DailyRequest.lon)
                          .where(DailyRequest.id == request_id)).first()
    return None if row is None else (row.lat, row.lon)


def registration_ports(port: str | None = None) -> Select[int, str]:
    """(registration_id, port) of every daily request, or of one port's: a query to run or nest.

    For features that may not import this feature's models (integrity: which
    ports a registration asked for, the alerts of one port's registrations).
    """
    q = select(DailyRequest.registration_id, DailyRequest.port)
    return q.where(DailyRequest.port == port) if port else q


def after(session: Session, after_id: int, limit: int) -> list[tuple]:
    """(id, registration, service date, port, lat, lon) of the requests made after
    ``after_id``, oldest first: garita.notify's scan reads the day's intake in batches
    after the fact, so the hot route pays nothing for the messages."""
    return [tuple(r) for r in session.execute(
        select(DailyRequest.id, DailyRequest.registration_id, DailyRequest.service_date,
               DailyRequest.port, DailyRequest.lat, DailyRequest.lon)
        .where(DailyRequest.id > after_id).order_by(DailyRequest.id).limit(limit))]


def of_registrations_on(session: Session, registration_ids: list[int],
                        day: dt.date) -> list[tuple[int, int]]:
    """(request id, registration id) of these registrations' requests for ``day``."""
    return [(r[0], r[1]) for r in session.execute(
        select(DailyRequest.id, DailyRequest.registration_id)
        .where(DailyRequest.service_date == day,
               DailyRequest.registration_id.in_(registration_ids)))]
