"""Pure time rules: which service day a moment belongs to, and when a draw may run.

All arithmetic is in the policy's time zone (the real scheme ran on U.S.
Eastern time), so daylight-saving changes do not shift the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from garita.policy import clocks
from garita.policy.schemas import Policy, PolicyVersionOut


def local(now: dt.datetime, tz: str) -> dt.datetime:
    return now.astimezone(ZoneInfo(tz))


@dataclass(frozen=True)
class WindowCheck:
    """Is the request window open at ``now``; ``message`` (built only when read: the
    request route checks the window on every call) says so in the scheme's zone and,
    when ``reader_tz`` (where the applicant is) differs, in theirs too."""

    service_date: dt.date
    open: bool
    policy: Policy
    now: dt.datetime
    reader_tz: str | None = None

    def for_reader(self, reader_tz: str | None) -> WindowCheck:
        return replace(self, reader_tz=reader_tz)

    @property
    def message(self) -> str:
        w, reader_tz = self.policy.request_window, self.reader_tz
        zone = ZoneInfo(w.timezone)
        here = self.now.astimezone(zone)
        opens = dt.datetime.combine(here.date(), w.start, tzinfo=zone)
        closes = dt.datetime.combine(here.date(), w.end, tzinfo=zone)
        hours = f"{w.start:%H:%M}-{w.end:%H:%M} {opens:%Z} ({w.timezone})"
        if reader_tz is not None and reader_tz != w.timezone:
            a, b = opens.astimezone(ZoneInfo(reader_tz)), closes.astimezone(ZoneInfo(reader_tz))
            if a.utcoffset() != opens.utcoffset():
                hours += f", {a:%H:%M}-{b:%H:%M} {a:%Z} where you are ({reader_tz})"
        if self.open:
            return f"The request window is open ({hours})."
        if here.time().replace(tzinfo=None) < w.start:
            return (f"Requests are taken {hours}; it is {here:%H:%M %Z} there. Come back at "
                    f"{clocks.said_both(opens, reader_tz, w.timezone, date=False)}.")
        tomorrow = dt.datetime.combine(here.date() + dt.timedelta(days=1), w.start, tzinfo=zone)
        return (f"Today's window ({hours}) has closed; come back tomorrow at "
                f"{clocks.said_both(tomorrow, reader_tz, w.timezone, date=False)}.")


def window_check(policy: Policy, now: dt.datetime, reader_tz: str | None = None) -> WindowCheck:
    w = policy.request_window
    here = local(now, w.timezone)
    t = here.time().replace(tzinfo=None)
    return WindowCheck(here.date(), w.start <= t <= w.end, policy, now, reader_tz)


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
