"""Later events of the flow, on SQLite and PostgreSQL: confirmed (the notice linked), the
day before (the port's address and the way there), cancelled; and the huey worker."""

from __future__ import annotations

import datetime as dt

from huey import MemoryHuey

from garita.db import transaction
from garita.messaging import service as messaging
from garita.messaging.channels import OutboxTransport, Transports
from garita.notify import jobs
from garita.offers import service as offers
from kit import CIUDAD_JUAREZ, applicant, ask, register, settings_for, staff

DAY = dt.date(2024, 9, 10)
OUTBOX = Transports(email=OutboxTransport(), short=OutboxTransport())


def _confirmed(client, clock) -> dict:
    admin, me = staff(client), applicant(client)
    reg = register(client, me, email="ana@example.org")
    clock.set_et(DAY, 13)
    assert ask(client, me, reg["id"], CIUDAD_JUAREZ).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=admin).status_code == 201
    offer = client.get(f"/registrations/{reg['id']}/status", headers=me).json()["offer"]
    lat, lon = CIUDAD_JUAREZ
    r = client.post(f"/offers/{offer['id']}/confirmations", headers=me,
                    json={"person_id": reg["people"][0]["id"], "lat": lat, "lon": lon})
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    return offer


def _email(factory, template: str):
    with factory() as s:
        return next(r for r in messaging.outbox(s) if r.template == template
                    and r.channel == "email")


def test_confirmed_then_the_day_before_then_cancelled(client, clock, database_url):
    offer = _confirmed(client, clock)
    settings = settings_for(database_url, public_url="https://garita.example")
    factory = client.app.state.sessions
    queued = jobs.run_once(factory, settings, clock, OUTBOX).queued
    assert queued["offer.confirmed"] == 1 and queued["offer.reminder"] == 0
    confirmed = _email(factory, "offer.confirmed")
    assert confirmed.language == "es" and "está confirmada" in confirmed.body
    assert f"https://garita.example/me/offers/{offer['id']}/notice" in confirmed.body

    # The appointment is on 13 Sep at San Ysidro; the day before, after 09:00 port time.
    clock.now = dt.datetime(2024, 9, 12, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued["offer.day_before"] == 0
    clock.now = dt.datetime(2024, 9, 12, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued["offer.day_before"] == 1
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued["offer.day_before"] == 0
    day_before = _email(factory, "offer.day_before")
    assert "Su cita en San Ysidro (PedWest) · Tijuana es mañana" in day_before.body
    assert "PedWest, Virginia Avenue, San Ysidro, CA 92173" in day_before.body
    assert "Vaya a El Chaparral pedestrian crossing, Tijuana una hora antes" in day_before.body

    with transaction(factory) as s:  # the decline feature's "cancelled", as it will set it
        assert offers.move(s, [offer["id"]], "confirmed", "cancelled") == 1
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued["offer.cancelled"] == 1
    assert "está cancelada" in _email(factory, "offer.cancelled").subject


def test_the_worker_runs_scan_and_delivery_from_the_job_queue(client, clock, database_url):
    _confirmed(client, clock)
    settings = settings_for(database_url, job_queue_url="memory://")
    factory = client.app.state.sessions
    worker = jobs.worker_queue(factory, settings, clock)
    assert isinstance(worker.queue, MemoryHuey)
    worker.tick.call_local()  # what the consumer runs each minute
    with factory() as s:
        counts = messaging.counts(s)
    # registration, request, selected and confirmed, each by email and by SMS; and the
    # sign-up's verification code (email only)
    assert counts == {"sent": 9}, counts
