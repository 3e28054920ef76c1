"""Issue 16: "cancelled" is the scheme's news. The applicant's own decline or
cancellation sends nothing (they did it, and the page said so); a cancellation by the
scheme still tells them. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from garita.db import transaction
from garita.messaging import service as messaging
from garita.messaging.channels import OutboxTransport, Transports
from garita.notify import jobs
from garita.offers import service as offers
from kit import CIUDAD_JUAREZ, applicant, ask, confirm, register, settings_for, staff

DAY = dt.date(2024, 9, 10)
OUTBOX = Transports(email=OutboxTransport(), short=OutboxTransport())


def _offered(client, clock, day: dt.date = DAY,
             email: str = "ana@example.org") -> tuple[dict, dict, int]:
    """(headers, offer, the lead's person id) of an applicant selected in ``day``'s draw."""
    admin, me = staff(client), applicant(client)
    reg = register(client, me, email=email)
    clock.set_et(day, 13)
    assert ask(client, me, reg["id"], CIUDAD_JUAREZ).status_code == 201
    clock.set_et(day + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{day}", headers=admin).status_code == 201
    offer = client.get(f"/registrations/{reg['id']}/status", headers=me).json()["offer"]
    return me, offer, reg["people"][0]["id"]


def _cancel_messages(factory) -> list:
    with factory() as s:
        return [r for r in messaging.outbox(s) if r.template == "offer.cancelled"]


def test_own_decline_sends_no_cancelled_message(client, clock, database_url):
    me, offer, _ = _offered(client, clock)
    settings, factory = settings_for(database_url), client.app.state.sessions
    r = client.post(f"/offers/{offer['id']}/decline", headers=me)
    assert r.status_code == 200 and r.json()["status"] == "declined"
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued["offer.cancelled"] == 0
    assert _cancel_messages(factory) == []


def test_own_cancellation_sends_nothing_but_the_schemes_does(client, clock, database_url):
    me, offer, person = _offered(client, clock)
    lat, lon = CIUDAD_JUAREZ
    r = confirm(client, me, offer["id"], person, (lat, lon))
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    settings, factory = settings_for(database_url), client.app.state.sessions
    r = client.post(f"/offers/{offer['id']}/cancel", headers=me)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued["offer.cancelled"] == 0

    # A second applicant's appointment cancelled by the scheme (no act of theirs).
    other, theirs, person = _offered(client, clock, DAY + dt.timedelta(days=1),
                                     "bea@example.org")
    r = confirm(client, other, theirs["id"], person, (lat, lon))
    assert r.status_code == 200
    with transaction(factory) as s:
        assert offers.move(s, [theirs["id"]], "confirmed", "cancelled") == 1
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued["offer.cancelled"] == 1
    told = _cancel_messages(factory)
    assert {m.event_key for m in told} == {f"offer:{theirs['id']}:cancelled"}

