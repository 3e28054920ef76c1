"""The wait estimate for one registration, from the published draws (no personal data).

Reads each recent draw's published figures for the port (``draw.service``) and the
registration days of the longest-waiting share's selections (the same days the
draw's published inputs list beside each ticket), then hands values to the pure
``rights.core.estimate``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy.orm import Session

from garita.draw import service as draws
from garita.identity import Principal
from garita.offers import service as offers
from garita.registrations import service as registrations
from garita.requests import service as day_requests
from garita.rights import core
from garita.rights.schemas import EstimateOut, OddsOut

WINDOW = 28  # draws: four weeks of a daily scheme, "lately"


def days_at(session: Session, port: str, before: dt.date) -> list[core.DrawDay]:
    published = draws.published_days(session, port, before, WINDOW)
    chosen = offers.longest_waiting_days(session, [i for i, _, _ in published])
    registered = registrations.registered_on(session, [r for _, _, r in chosen])
    newest: dict[int, dt.date] = defaultdict(lambda: dt.date.min)
    for draw_id, at_port, rid in chosen:
        if at_port == port:
            newest[draw_id] = max(newest[draw_id], registered[rid])
    return [core.DrawDay(day=day, random_requests=int(f.get("requests", 0))
                         - int(f.get("selected_longest_waiting", 0)),
                         random_selected=int(f.get("selected_random", 0)),
                         cutoff=newest.get(draw_id))
            for draw_id, day, f in published if f]


def for_registration(session: Session, who: Principal, registration_id: int,
                     today: dt.date, port: str | None = None) -> EstimateOut:
    reg = registrations.get(session, registration_id, who)
    if port is None:
        last = day_requests.last_request(session, reg.id)
        port = last.port if last is not None else None
    registered = reg.registered_at.astimezone(dt.UTC).date()
    if port is None:
        return EstimateOut(registration_id=reg.id, port=None, window=0, odds=None,
                           within_longest_waiting=False, cutoff=None, days=None,
                           message=say(None, None, None))
    result = core.estimate(days_at(session, port, today + dt.timedelta(days=1)), registered)
    s = result.standing
    return EstimateOut(
        registration_id=reg.id, port=port, window=result.window,
        odds=OddsOut(**vars(result.odds)) if result.odds else None,
        within_longest_waiting=s.within, cutoff=s.cutoff,
        days=list(s.days) if s.days else None, message=say(port, result.odds, s))


def say(port: str | None, odds: core.Odds | None, s: core.Standing | None) -> str:
    """The estimate in one English sentence (the page says it in the reader's language)."""
    if port is None or s is None:
        return "Ask for an appointment at a port once to see an estimate for that port."
    parts = []
    if odds is not None:
        parts.append(f"About 1 in {odds.one_in:.0f} a day at {port} lately "
                     f"(from 1 in {odds.one_in_low:.0f} to 1 in {odds.one_in_high:.0f} "
                     f"over {odds.days} draws).")
    else:
        parts.append(f"No recent draw at {port} selected anyone at random.")
    if s.within:
        parts.append("Your registration is already within the longest-waiting share: "
                     "ask each day.")
    elif s.days is not None:
        parts.append(f"Your registration enters the longest-waiting share in about "
                     f"{s.days[0]} days (between {s.days[1]} and {s.days[2]}).")
    else:
        parts.append("The longest-waiting share has not moved lately: no estimate of when "
                     "it reaches your registration.")
    return " ".join(parts)
