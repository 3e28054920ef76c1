"""The scan: find what happened since the last pass and queue one message per event.

It reads the features through their services after the fact (watermarks over row ids
and instants), so the hot daily-request route gets no extra round trip; the outbox's
unique event key makes running it twice, or two scans at once, send nothing twice.
Each pass is in the caller's transaction and leaves one audit entry with its counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from garita.audit import service as audit
from garita.corridor import service as corridor
from garita.draw import service as draws
from garita.errors import Refused
from garita.geo.service import zone_at
from garita.messaging import service as messaging
from garita.messaging.schemas import Preferences
from garita.notify import messages as m
from garita.notify import phones, wording
from garita.notify.models import Watermark
from garita.offers import service as offers
from garita.policy import calendar
from garita.policy import service as policies
from garita.policy.ports import PORTS
from garita.registrations import service as registrations
from garita.requests import service as requests

OVERLAP = dt.timedelta(minutes=10)  # a change committed late by a slow transaction
FIRST_LOOK_BACK = dt.timedelta(days=1)  # the first pass on a live system starts here
DAY_BEFORE_FROM = dt.time(9)  # the day-before message waits for the morning, port time
# Where the corridor's buses leave from (DESIGN §2.6), by hub name.
HUB_PLACES = {"Tapachula": "INM Southern Zone regulation office, Tapachula",
              "Villahermosa": "INM migration station, Villahermosa"}


@dataclass(frozen=True)
class Config:
    public_url: str
    reminder: dt.timedelta = dt.timedelta(hours=6)
    batch: int = 1000


@dataclass
class Scan:
    session: Session
    config: Config
    now: dt.datetime
    contacts: dict[int, tuple[int, str, str | None, str | None]] = field(default_factory=dict)
    prefs: dict[int, Preferences] = field(default_factory=dict)
    confirm_age: int | None = None

    def prefetch(self, registration_ids: list[int]) -> None:
        """Read a batch's contacts in one query (the scan reads them per message otherwise)."""
        wanted = [r for r in registration_ids if r not in self.contacts]
        if wanted:
            self.contacts.update(registrations.contacts(self.session, wanted))

    def min_age(self) -> int:
        """Who must confirm: members this old or older, under the policy a confirmation
        made now is checked against (``garita.offers.service.confirm``)."""
        if self.confirm_age is None:
            self.confirm_age = policies.policy_now(self.session, self.now)[1].confirm_min_age
        return self.confirm_age

    def link(self, path: str) -> str:
        return self.config.public_url.rstrip("/") + path

    def mark(self, name: str) -> Watermark:
        row = self.session.get(Watermark, name)
        if row is None:
            row = Watermark(name=name, last_id=0, last_at=None)
            self.session.add(row)
        return row

    def since(self, name: str) -> tuple[Watermark, dt.datetime]:
        row = self.mark(name)
        start = (row.last_at - OVERLAP) if row.last_at else self.now - FIRST_LOOK_BACK
        return row, start

    def send(self, registration_id: int, key: str, template: str,
             params: Callable[[str], dict[str, str]]) -> bool:
        self.prefetch([registration_id])
        contact = self.contacts.get(registration_id)
        if contact is None:
            return False
        owner, default, email, phone = contact
        if owner not in self.prefs:
            self.prefs[owner] = messaging.preferences(self.session, owner)
        prefs = self.prefs[owner]
        language = prefs.language or default
        return messaging.enqueue(self.session, event_key=key, template=template,
                                 account_id=owner, to_email=email, to_phone=phone,
                                 language=language, params=params(language), prefs=prefs)

    def reader_zone(self, request_id: int) -> str | None:
        where = requests.location_of(self.session, request_id)
        return zone_at(*where) if where else None


def _fixed(params: dict[str, str], _language: str) -> dict[str, str]:
    return params


def _registrations(s: Scan) -> int:
    mark, sent = s.mark("registration"), 0
    ids = registrations.ids_after(s.session, mark.last_id, s.config.batch)
    s.prefetch(ids)
    for reg_id in ids:
        params = {"reference": str(reg_id), "link": s.link(f"/me/registrations/{reg_id}")}
        sent += s.send(reg_id, f"registration:{reg_id}:received", m.REGISTRATION_RECEIVED.name,
                       partial(_fixed, params))
        mark.last_id = reg_id
    return sent


def _requests(s: Scan) -> int:
    mark, sent, rules = s.mark("request"), 0, {}
    rows = requests.after(s.session, mark.last_id, s.config.batch)
    s.prefetch([r[1] for r in rows])
    for req_id, reg_id, day, port, lat, lon in rows:
        if day not in rules:  # a batch spans a day or two: one policy read each
            rules[day] = policies.in_force(s.session, day).policy
        policy = rules[day]
        results = calendar.draw_moment(policy, day)
        tz = zone_at(lat, lon) or policy.request_window.timezone
        fixed = {"reference": str(reg_id), "port": wording.port_label(port),
                 "link": s.link(f"/me/registrations/{reg_id}")}
        sent += s.send(reg_id, f"request:{req_id}:received", m.REQUEST_RECEIVED.name,
                       partial(_request_params, fixed, day, results, tz))
        mark.last_id = req_id
    return sent


def _request_params(fixed: dict[str, str], day: dt.date, results: dt.datetime, tz: str,
                    lang: str) -> dict[str, str]:
    return fixed | {"day": wording.day(day, lang), "results": wording.moment(results, tz, lang)}


def _offer_params(s: Scan, offer: Any, tz: str | None, lang: str,
                  extra: Callable[[str], dict[str, str]] | None = None) -> dict[str, str]:
    when = wording.appointment(offer.port, offer.appointment_date, offer.slot, lang, tz)
    zone = tz or PORTS[offer.port].timezone
    return when | {"reference": str(offer.registration_id), "min_age": str(s.min_age()),
                   "deadline": wording.moment(offer.confirm_deadline, zone, lang),
                   "link": s.link(f"/me/offers/{offer.id}/confirm"),
                   "notice": s.link(f"/me/offers/{offer.id}/notice")} | (
                       extra(lang) if extra else {})


def _selected(s: Scan) -> int:
    mark, sent = s.mark("offer"), 0
    found = offers.after(s.session, mark.last_id, s.config.batch)
    s.prefetch([o.registration_id for o in found])
    for offer in found:
        mark.last_id = offer.id
        if offer.confirm_deadline <= s.now:
            continue  # too late to act on: the lapse message says what happened
        tz = s.reader_zone(offer.request_id)
        sent += s.send(offer.registration_id, f"offer:{offer.id}:selected", m.SELECTED.name,
                       partial(_offer_params, s, offer, tz))
    return sent


def _by_offer(s: Scan, found: list, suffix: str, template: str) -> int:
    keys = [f"offer:{o.id}:{suffix}" for o in found]
    done = messaging.queued_keys(s.session, keys)
    sent = 0
    for offer, key in zip(found, keys, strict=True):
        if key in done:
            continue
        tz = s.reader_zone(offer.request_id)
        sent += s.send(offer.registration_id, key, template, partial(_offer_params, s, offer, tz))
    return sent


def _reminders(s: Scan) -> int:
    due = offers.deadlines_between(s.session, s.now, s.now + s.config.reminder, ("offered",))
    return _by_offer(s, due, "reminder", m.REMINDER.name)


def _confirmed(s: Scan) -> int:
    mark, start = s.since("confirmed")
    sent = _by_offer(s, offers.confirmed_between(s.session, start, s.now), "confirmed",
                     m.CONFIRMED.name)
    mark.last_at = s.now
    return sent


def _lapsed(s: Scan) -> int:
    mark, start = s.since("lapsed")
    found = offers.deadlines_between(s.session, start, s.now, ("offered", "lapsed"))
    sent = _by_offer(s, found, "lapsed", m.LAPSED.name)
    mark.last_at = s.now
    return sent


def _where(code: str, lang: str) -> dict[str, str]:
    return {"address": PORTS[code].address, "directions": wording.directions(code, lang)}


def _day_before(s: Scan) -> int:
    sent = 0
    for code, port in PORTS.items():
        here = s.now.astimezone(ZoneInfo(port.timezone))
        if here.time() < DAY_BEFORE_FROM:
            continue
        tomorrow = here.date() + dt.timedelta(days=1)
        found = offers.at_port(s.session, code, tomorrow, ("confirmed",))
        told = messaging.queued_keys(s.session, [f"offer:{o.id}:day-before" for o in found])
        for offer in found:
            key = f"offer:{offer.id}:day-before"
            if key in told:  # this pass runs every minute of the day: render nothing twice
                continue
            sent += s.send(offer.registration_id, key, m.DAY_BEFORE.name, partial(
                _offer_params, s, offer, None, extra=partial(_where, port.code)))
    return sent


def _seats(s: Scan) -> int:
    try:
        hubs = corridor.corridor_on(s.session, s.now.date())
    except Refused:
        return 0
    sent, seats = 0, corridor.assigned_seats(s.session, s.now)
    told = messaging.queued_keys(s.session, [f"seat:{r[0]}:bus:{r[3]}" for r in seats])
    for seat_id, reg_id, port, bus_id, code, hub, departs in seats:
        if f"seat:{seat_id}:bus:{bus_id}" in told:
            continue
        found = hubs.hub(hub)
        tz = found.timezone if found else "America/Mexico_City"
        fixed = {"bus": code, "hub": hub, "place": HUB_PLACES.get(hub, hub),
                 "port": wording.port_label(port), "link": s.link("/me")}
        sent += s.send(reg_id, f"seat:{seat_id}:bus:{bus_id}", m.SEAT_PLANNED.name,
                       partial(_seat_params, fixed, departs, tz))
    return sent


def _seat_params(fixed: dict[str, str], departs: dt.datetime, tz: str,
                 lang: str) -> dict[str, str]:
    return fixed | {"departs": wording.moment(departs, tz, lang),
                    "hub_zone": wording.zone_name(tz, lang)}


def _ended(day: dt.date, lang: str) -> dict[str, str]:
    return {"day": wording.day(day, lang)}


def _cancelled(s: Scan) -> int:
    """An upcoming appointment the scheme cancelled, and every one when the scheme closes.
    A decline, a cancellation or a withdrawal by the registration's holder (or the NGO
    acting for them) sends nothing: they did it, and the page they did it on said so."""
    today = s.now.date()
    gone = offers.upcoming(s.session, ("cancelled", "declined", "withdrawn"), today)
    done = messaging.queued_keys(s.session, [f"offer:{o.id}:cancelled" for o in gone])
    fresh = [o for o in gone if f"offer:{o.id}:cancelled" not in done]
    own = offers.ended_by_holder(s.session, fresh)  # their own act: they know, no message
    sent = _by_offer(s, [o for o in fresh if o.id not in own], "cancelled", m.CANCELLED.name)
    version = policies.in_force(s.session, today)
    if not version.policy.active:
        ended = version.effective_from
        upcoming = offers.upcoming(s.session, ("offered", "confirmed"), ended)
        told = messaging.queued_keys(s.session, [f"offer:{o.id}:closed" for o in upcoming])
        for offer in upcoming:
            if f"offer:{offer.id}:closed" in told:
                continue
            sent += s.send(offer.registration_id, f"offer:{offer.id}:closed",
                           m.SCHEME_CLOSED.name,
                           partial(_offer_params, s, offer, None, extra=partial(_ended, ended)))
    return sent


def _digest_params(day: dt.date, count: int, link: str, lang: str) -> dict[str, str]:
    return {"day": wording.day(day, lang), "count": str(count), "link": link}


def _digest(s: Scan) -> int:
    day = draws.last_drawn(s.session)
    accounts = messaging.digest_accounts(s.session)
    if day is None or not accounts:
        return 0
    sent = 0
    for owner, reg_ids in registrations.ids_by_owner(s.session, accounts).items():
        asked = requests.of_registrations_on(s.session, reg_ids, day)
        offered = offers.offered_requests(s.session, [a[0] for a in asked])
        missed = [r for r in asked if r[0] not in offered]
        if not missed:
            continue
        sent += s.send(missed[0][1], f"digest:{owner}:{day}", m.NOT_SELECTED.name,
                       partial(_digest_params, day, len(missed), s.link("/me")))
    return sent


def _phone_codes(s: Scan) -> int:
    """A new registration's phone, and a changed one, get their code without asking."""
    sent, new, changed = 0, s.mark("phone-new"), s.mark("phone-change")
    for reg_id in registrations.ids_after(s.session, new.last_id, s.config.batch):
        sent += phones.send_first_code(s.session, reg_id, f"phone-code:registration:{reg_id}",
                                       s.now)
        new.last_id = reg_id
    for change_id, reg_id in registrations.phone_changes_after(s.session, changed.last_id,
                                                               s.config.batch):
        sent += phones.send_first_code(s.session, reg_id, f"phone-code:change:{change_id}",
                                       s.now)
        changed.last_id = change_id
    return sent


PASSES: dict[str, Callable[[Scan], int]] = {
    "registration.received": _registrations, "request.received": _requests,
    "offer.selected": _selected, "offer.reminder": _reminders, "offer.confirmed": _confirmed,
    "offer.lapsed": _lapsed, "request.not_selected": _digest,
    "corridor.seat_planned": _seats, "offer.day_before": _day_before,
    "offer.cancelled": _cancelled, "phone.code": _phone_codes,
}


def skip_backlog(session: Session, now: dt.datetime, batch: int = 10_000) -> dict[str, int]:
    """Mark everything that already happened as told, without a message: for the first
    run on a system that has been serving people (they should not get a month of old
    news). How many rows each watermark moved past."""
    state, moved = Scan(session, Config(public_url=""), now), {}
    for name, after in (("registration", registrations.ids_after),
                        ("request", lambda s, a, n: [r[0] for r in requests.after(s, a, n)]),
                        ("offer", lambda s, a, n: [o.id for o in offers.after(s, a, n)])):
        mark, moved[name] = state.mark(name), 0
        while ids := after(session, mark.last_id, batch):
            mark.last_id, moved[name] = ids[-1], moved[name] + len(ids)
    state.mark("phone-new").last_id = state.mark("registration").last_id
    state.mark("phone-change").last_id = registrations.last_change_id(session)
    for name in ("confirmed", "lapsed"):
        state.mark(name).last_at = now
    audit.record(session, actor="notify", action="notify.skip_backlog", object_type="outbox",
                 object_id=now.isoformat(), change=moved)
    return moved


def scan(session: Session, config: Config, now: dt.datetime) -> dict[str, int]:
    """One pass over every event; how many messages each queued. Audited when any did."""
    state = Scan(session, config, now)
    counts = {name: run(state) for name, run in PASSES.items()}
    queued = {k: v for k, v in counts.items() if v}
    if queued:
        audit.record(session, actor="notify", action="notify.queued", object_type="outbox",
                     object_id=now.isoformat(), change=queued)
    return counts
