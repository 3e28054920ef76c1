"""Later events of the flow, on SQLite and PostgreSQL: confirmed (the notice linked), the
day before (the port's address and the way there), cancelled; and the huey worker."""

from __future__ import annotations

import datetime as dt

from huey import MemoryHuey

from garita.db import transaction
from garita.messaging import service as messaging
from garita.messaging.channels import OutboxTransport, Transports
from garita.notify import jobs
from garita.notify.service import PASSES, skip_backlog
from garita.offers import service as offers
from kit import CIUDAD_JUAREZ, applicant, ask, confirm, register, settings_for, staff

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
    r = confirm(client, me, offer["id"], reg["people"][0]["id"], (lat, lon))
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
    # registration, request, selected and confirmed by email (the phone answered no code:
    # no SMS, tests/notify/test_phone_verification.py); the sign-up's code; and the code
    # the new phone gets without asking (tests/notify/test_phone_code_unasked.py)
    assert counts == {"sent": 6}, counts


def test_skip_backlog_then_only_new_events(client, clock, database_url):
    _confirmed(client, clock)
    settings = settings_for(database_url)
    factory = client.app.state.sessions
    # (state changes of the last 10 minutes before the mark are told anyway: the
    # overlap that catches slow transactions)
    clock.now += dt.timedelta(minutes=20)
    with transaction(factory) as s:
        s.info["clock"] = clock
        moved = skip_backlog(s, clock())
    assert moved == {"registration": 1, "request": 1, "offer": 1}
    assert sum(jobs.run_once(factory, settings, clock, OUTBOX).queued.values()) == 0
    register(client, applicant(client))
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued == {
        name: int(name in ("registration.received", "phone.code")) for name in PASSES}


def _tiny_policy(client, admin) -> None:
    """San Ysidro alone, one place a day (two open days: two places); others none."""
    from garita.policy.service import shipped_history

    policy = shipped_history()[-2].policy.model_dump(mode="json")
    policy["port_capacity"] = {p: 0 for p in policy["port_capacity"]} | {"SYS": 1}
    policy["slots"] = ["08:00"]
    r = client.post("/policies", json={"effective_from": str(DAY), "note": "tiny",
                                       "policy": policy}, headers=admin)
    assert r.status_code == 201, r.text


def test_daily_digest_only_for_those_who_asked(client, clock, database_url):
    admin = staff(client)
    clock.set_et(DAY, 13)
    _tiny_policy(client, admin)
    for digest, port in ((True, "SYS"),) * 4 + ((False, "LRD"),):
        me = applicant(client)
        reg = register(client, me, email="x@example.org")
        assert client.put("/messages/preferences", headers=me,
                          json={"digest": digest}).status_code == 200
        assert ask(client, me, reg["id"], CIUDAD_JUAREZ, port=port).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=admin).status_code == 201
    settings = settings_for(database_url)
    factory = client.app.state.sessions
    queued = jobs.run_once(factory, settings, clock, OUTBOX).queued
    # two of the four at San Ysidro selected; the other two asked for the digest;
    # the one at Laredo (no places) did not ask for it
    assert (queued["offer.selected"], queued["request.not_selected"]) == (2, 2)
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued["request.not_selected"] == 0
    digest = _email(factory, "request.not_selected")
    assert digest.body.startswith("Sus solicitudes del 10 de septiembre de 2024")


def test_scheme_closed_tells_every_upcoming_appointment(client, clock, database_url):
    offer = _confirmed(client, clock)
    from garita.policy.service import shipped_history

    policy = shipped_history()[-1].policy.model_dump(mode="json") | {"active": False}
    ended = DAY + dt.timedelta(days=2)
    r = client.post("/policies", json={"effective_from": str(ended), "note": "scheme ends",
                                       "policy": policy}, headers=staff(client))
    assert r.status_code == 201, r.text
    settings = settings_for(database_url)
    factory = client.app.state.sessions
    assert jobs.run_once(factory, settings, clock, OUTBOX).queued["offer.cancelled"] == 0
    clock.set_et(ended, 9)
    jobs.run_once(factory, settings, clock, OUTBOX)
    with factory() as s:
        closed = [m for m in messaging.outbox(s) if m.template == "scheme.closed"]
    assert {m.event_key for m in closed} == {f"offer:{offer['id']}:closed"}
    email = next(m for m in closed if m.channel == "email")
    assert "El sistema de citas terminó el 12 de septiembre de 2024" in email.body
