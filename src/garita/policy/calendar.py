"""Pure time rules: which service day a moment belongs to, and when a draw may run.

All arithmetic is in the policy's time zone (the real scheme ran on U.S.
Eastern time), so daylight-saving changes do not shift the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from garita.policy.schemas import Policy, PolicyVersionOut


def local(now: dt.datetime, tz: str) -> dt.datetime:
    return now.astimezone(ZoneInfo(tz))


@dataclass(frozen=True)
class WindowCheck:
    service_date: dt.date
    open: bool
    message: str


def window_check(policy: Policy, now: dt.datetime) -> WindowCheck:
    w = policy.request_window
    here = local(now, w.timezone)
    t = here.time().replace(tzinfo=None)
    is_open = w.start <= t <= w.end
    hours = f"{w.start:%H:%M}-{w.end:%H:%M} {w.timezone}"
    if is_open:
        msg = f"The request window is open ({hours})."
    elif t < w.start:
        msg = f"Requests are taken {hours}; it is {t:%H:%M} there. Come back at {w.start:%H:%M}."
    else:
        msg = f"Today's window ({hours}) has closed; come back tomorrow at {w.start:%H:%M}."
    return WindowCheck(here.date(), is_open, msg)


def draw_moment(policy: Policy, service_date: dt.date) -> dt.datetime:
    """When the draw for a service day runs: the next day at ``draw_time`` (aware)."""
    tz = ZoneInfo(policy.request_window.timezone)
    return dt.datetime.combine(service_date + dt.timedelta(days=1), policy.draw_time, tzinfo=tz)


def confirm_deadline(policy: Policy, service_date: dt.date) -> dt.datetime:
    return draw_moment(policy, service_date) + dt.timedelta(hours=policy.confirm_hours)


def appointment_dates(policy: Policy, service_date: dt.date) -> list[dt.date]:
    """The new appointment day plus earlier days whose freed places this draw may refill.

    Only days after the confirmation deadline qualify: nobody is offered a day
    they could not confirm in time for.
    """
    newest = service_date + dt.timedelta(days=policy.lead_days)
    last_deadline_day = confirm_deadline(policy, service_date).date()
    days = [newest - dt.timedelta(days=k) for k in range(policy.backfill_days, -1, -1)]
    return [d for d in days if d > last_deadline_day]


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def resolve_now(in_force: Callable[[dt.date], PolicyVersionOut],
                now: dt.datetime) -> PolicyVersionOut:
    """The version in force at this moment in its own time zone."""
    first = in_force(now.date())
    here = local(now, first.policy.request_window.timezone).date()
    return first if here == now.date() else in_force(here)
