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
from garita.auth.schemas import Principal
from garita.geo import core as geo
from garita.offers.service import current_hold
from garita.policy import calendar
from garita.policy.service import policy_now
from garita.registrations.models import Registration
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
    reg = session.execute(select(
        Registration.owner_id, Registration.group_size, Registration.registered_at,
        Registration.lead_nationality).where(Registration.id == registration_id)).one_or_none()
    intake.visible(who, registration_id, reg.owner_id if reg else None)
    _, policy, since = policy_now(session, now)
    window = calendar.window_check(policy, now)
    existing = session.scalar(select(DailyRequest).where(
        DailyRequest.registration_id == registration_id,
        DailyRequest.service_date == window.service_date))
    hold = None if existing is not None else current_hold(session, registration_id, now)
    facts = intake.Facts(
        owner_id=reg.owner_id, group_size=reg.group_size, registered_at=reg.registered_at,
        lead_nationality=reg.lead_nationality,
        existing_port=existing.port if existing is not None else None,
        hold=(hold.port, hold.appointment_date, hold.status) if hold is not None else None)
    values = intake.decide(registration_id, facts, policy, since, window, data, now, locator)
    if values is None:
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


def registration_ports(port: str | None = None) -> Select[int, str]:
    """(registration_id, port) of every daily request, or of one port's: a query to run or nest.

    For features that may not import this feature's models (integrity: which
    ports a registration asked for, the alerts of one port's registrations).
    """
    q = select(DailyRequest.registration_id, DailyRequest.port)
    return q.where(DailyRequest.port == port) if port else q
