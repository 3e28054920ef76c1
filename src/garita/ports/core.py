"""The port's day as pure rules: arrival timing and which outcome/reason pairs are valid.

Nothing here reads a database, the clock or settings: the service passes the
slot, the moment of arrival and the policy's minutes in, and gets a verdict
that carries its numbers (so the check-in record can say why it was early,
on time or late).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from garita.policy.ports import PORTS

Timing = Literal["early", "on_time", "late"]


@dataclass(frozen=True)
class Arrival:
    """When a group arrived relative to its slot, and under which allowance."""

    timing: Timing
    minutes_from_slot: int  # negative: before the slot
    opens_at: dt.datetime  # first on-time moment (port time)
    late_after: dt.datetime  # last on-time moment (port time)


def port_zone(port: str) -> ZoneInfo:
    """Slots are in port time (policy: "Appointment time slots (port time)")."""
    return PORTS[port].zone


def port_today(port: str, now: dt.datetime) -> dt.date:
    """The civil date at the port at an aware instant."""
    return now.astimezone(port_zone(port)).date()


def slot_moment(port: str, day: dt.date, slot: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, slot, tzinfo=port_zone(port))


def arrival(port: str, day: dt.date, slot: dt.time, at: dt.datetime,
            early_minutes: int, late_minutes: int) -> Arrival:
    """Early before ``slot - early``; late after ``slot + late``; on time in between (closed).

    >>> a = arrival("ELP", dt.date(2024, 9, 13), dt.time(9),
    ...             dt.datetime(2024, 9, 13, 15, 30, tzinfo=dt.UTC), 60, 30)
    >>> a.timing, a.minutes_from_slot   # 09:30 in El Paso (MDT, UTC-6)
    ('on_time', 30)
    """
    start = slot_moment(port, day, slot)
    opens = start - dt.timedelta(minutes=early_minutes)
    closes = start + dt.timedelta(minutes=late_minutes)
    seconds = (at - start).total_seconds()
    minutes = int(seconds // 60) if seconds >= 0 else -int(-seconds // 60)
    timing: Timing = "early" if at < opens else "late" if at > closes else "on_time"
    return Arrival(timing, minutes, opens, closes)


OUTCOMES = ("paroled", "notice_to_appear", "detained", "expedited_removal",
            "permitted_to_withdraw", "refused")

# Which reason codes explain which outcome. A reason outside its outcome's list is an input
# error (the officer picked the wrong code), not a free-text field.
REASONS: dict[str, tuple[str, ...]] = {
    "paroled": ("humanitarian", "significant_public_benefit", "family_unity",
                "urgent_medical"),
    "notice_to_appear": ("no_entry_document", "inadmissible_other", "credible_fear_claim",
                         "prior_immigration_violation"),
    "detained": ("security_concern", "criminal_record", "identity_unverified",
                 "watchlist_match", "prior_removal"),
    "expedited_removal": ("no_entry_document", "fraud_or_misrepresentation", "prior_removal"),
    "permitted_to_withdraw": ("no_entry_document", "inadmissible_other", "voluntary"),
    "refused": ("identity_unverified", "not_appointment_holder", "fraudulent_appointment",
                "ineligible"),
}


def outcome_problem(outcome: str, reason: str, parole_until: dt.date | None,
                    decided_on: dt.date) -> str | None:
    """Why this outcome record is invalid (a message saying what to fix), or None if valid.

    >>> outcome_problem("paroled", "humanitarian", None, dt.date(2024, 9, 13))
    'A parole needs parole_until, the date the parole ends (after 2024-09-13).'
    >>> outcome_problem("detained", "criminal_record", None, dt.date(2024, 9, 13)) is None
    True
    """
    if outcome not in REASONS:
        return f"Unknown outcome '{outcome}'; use one of: {', '.join(OUTCOMES)}."
    allowed = REASONS[outcome]
    if reason not in allowed:
        return (f"Reason '{reason}' does not go with outcome '{outcome}'; "
                f"use one of: {', '.join(allowed)}.")
    if outcome == "paroled":
        if parole_until is None:
            return f"A parole needs parole_until, the date the parole ends (after {decided_on})."
        if parole_until <= decided_on:
            return f"parole_until {parole_until} must be after the decision day {decided_on}."
    elif parole_until is not None:
        return f"Only a parole has an end date; leave parole_until empty for '{outcome}'."
    return None


def day_closable(port: str, day: dt.date, last_slot: dt.time, late_minutes: int,
                 now: dt.datetime) -> dt.datetime | None:
    """None when the day can be closed at ``now``; otherwise the moment it can (port time).

    A day closes once no group can still arrive on time: after the last slot plus the
    late allowance. Closing earlier would mark people who are still on time as no-shows.
    """
    earliest = slot_moment(port, day, last_slot) + dt.timedelta(minutes=late_minutes)
    return None if now > earliest else earliest
