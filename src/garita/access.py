"""Who among the staff may read whose personal data: least privilege, one table.

Part of the composition root (it knows the features above registrations): an
officer sees a registration only while it has an appointment at the officer's
port within ``GARITA_OFFICER_DAYS_AROUND`` days of today; a coordinator only while
it has a live corridor seat request (a rider); an analyst only while it is the
subject of an integrity alert (analysts otherwise work through alerts and list
searches); an admin sees all. Applicants and NGOs see their own (the
registrations feature checks that). The registrations feature asks through
``app.state.may_read`` and answers "not found" otherwise, so an id is no oracle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from garita.corridor import service as corridor
from garita.identity import Principal, Role
from garita.integrity import service as integrity
from garita.offers import service as offers

Rule = Callable[[Session, Principal, int, dt.date, int], bool]

STAFF_READS: dict[Role, Rule] = {
    Role.admin: lambda s, who, reg, today, days: True,
    Role.officer: lambda s, who, reg, today, days: who.port is not None and offers.appointment_near(
        s, reg, who.port, today, days),
    Role.coordinator: lambda s, who, reg, today, days: corridor.is_rider(s, reg),
    Role.analyst: lambda s, who, reg, today, days: integrity.has_alert(s, reg),
}

RULE_TEXT = {
    Role.officer: "officers see a registration while it has an appointment at their port "
                  "within {days} days",
    Role.coordinator: "coordinators see a registration while it has a seat request",
    Role.analyst: "analysts see a registration while it is the subject of an alert",
}


def may_read(days_around: int) -> Callable[[Session, Principal, int, dt.date], str | None]:
    """A check for the registrations feature: None if ``who`` may read it, else the rule."""
    def check(session: Session, who: Principal, registration_id: int,
              today: dt.date) -> str | None:
        rule = STAFF_READS.get(who.role)
        if rule is None or rule(session, who, registration_id, today, days_around):
            return None
        return RULE_TEXT[who.role].format(days=days_around)
    return check
