"""The applicant's messages end to end, on SQLite and PostgreSQL: a registration, a
request and a draw become emails that a real SMTP server receives, in the
registration's language, with the appointment in the port's time and the applicant's."""

from __future__ import annotations

import datetime as dt

from servers import smtp_server
from sqlalchemy import select

from garita.messaging import service as messaging
from garita.messaging.channels import OutboxTransport, SmtpTransport, Transports
from garita.notify.jobs import run_once
from garita.offers.models import Offer
from kit import CIUDAD_JUAREZ, ET, applicant, ask, register, settings_for, staff

DAY = dt.date(2024, 9, 10)


def _transports(port: int) -> Transports:
    return Transports(email=SmtpTransport(host="127.0.0.1", port=port, starttls=False,
                                          sender="Garita <no-reply@garita.example>"),
                      short=OutboxTransport())


def _selected(client, clock):
    admin, me = staff(client), applicant(client)
    reg = register(client, me, email="ana@example.org")
    clock.set_et(DAY, 13)
    assert ask(client, me, reg["id"], CIUDAD_JUAREZ).status_code == 201  # for San Ysidro
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=admin).status_code == 201
    return reg


def _subjects(inbox) -> list[str]:
    return [m["Subject"] for m in inbox.messages]


def test_selection_email_in_spanish_with_both_local_times(client, clock, database_url):
    reg = _selected(client, clock)
    settings = settings_for(database_url, public_url="https://garita.example")
    factory = client.app.state.sessions
    with smtp_server() as (inbox, port):
        outcome = run_once(factory, settings, clock, _transports(port))
    assert outcome.delivery.failed == 0
    assert outcome.queued["registration.received"] == 1
    assert outcome.queued["request.received"] == 1
    assert outcome.queued["offer.selected"] == 1
    # email (the SMS copies stay in the outbox transport): those three and the sign-up's code
    assert len(inbox.messages) == 4
    assert sum("Your Garita code" in s for s in _subjects(inbox)) == 1
    with factory() as s:
        offer = s.scalars(select(Offer)).one()
    selected = next(m for m in inbox.messages if "seleccion" in m["Subject"])
    body = selected.get_content()
    assert selected["To"] == "ana@example.org" and selected["Content-Language"] == "es"
    # (a header's encoded words may come back with a doubled space)
    assert "San Ysidro (PedWest) · Tijuana" in " ".join(selected["Subject"].split())
    # The request was made in Ciudad Juárez (mountain time, UTC-6 in September) for San
    # Ysidro (Pacific, UTC-7). The draw ran on 11 Sep at 12:00 ET; 23 h to confirm:
    # 12 Sep 11:00 ET = 15:00 UTC = 09:00 in Ciudad Juárez.
    assert offer.confirm_deadline == dt.datetime(2024, 9, 12, 11, tzinfo=ET)
    assert offer.slot == dt.time(7) and offer.appointment_date == dt.date(2024, 9, 13)
    assert "el 13 de septiembre de 2024 a las 7:00 (hora del puerto, Los Ángeles)" in body
    assert "son las 8:00 donde usted está (Ciudad Juárez)" in body
    assert "antes del 12 sept 2024 9:00, Ciudad Juárez" in body
    assert f"https://garita.example/me/offers/{offer.id}/confirm" in body
    for message in inbox.messages:  # names and dates of birth never travel
        text = message.get_content()
        assert "Ana" not in text and "Pérez" not in text and "1990" not in text
    assert reg["id"]


def test_reminder_is_sent_once_even_when_the_job_runs_twice(client, clock, database_url):
    _selected(client, clock)
    settings = settings_for(database_url, notify_reminder_hours=6)
    factory = client.app.state.sessions
    with smtp_server() as (inbox, port):
        run_once(factory, settings, clock, _transports(port))
        clock.now = dt.datetime(2024, 9, 12, 4, 59, tzinfo=ET)  # 6 h 1 min before: not yet
        assert run_once(factory, settings, clock, _transports(port)).queued["offer.reminder"] == 0
        clock.now = dt.datetime(2024, 9, 12, 5, 30, tzinfo=ET)
        first = run_once(factory, settings, clock, _transports(port))
        second = run_once(factory, settings, clock, _transports(port))
        clock.now = dt.datetime(2024, 9, 12, 9, 0, tzinfo=ET)
        third = run_once(factory, settings, clock, _transports(port))
    assert (first.queued["offer.reminder"], second.queued["offer.reminder"],
            third.queued["offer.reminder"]) == (1, 0, 0)
    reminders = [s for s in _subjects(inbox) if s.startswith("Garita: confirme")]
    assert len(reminders) == 1, _subjects(inbox)


def test_lapsed_after_the_deadline(client, clock, database_url):
    _selected(client, clock)
    settings = settings_for(database_url)
    factory = client.app.state.sessions
    with smtp_server() as (inbox, port):
        run_once(factory, settings, clock, _transports(port))
        clock.now = dt.datetime(2024, 9, 12, 11, 30, tzinfo=ET)
        outcome = run_once(factory, settings, clock, _transports(port))
    assert outcome.queued["offer.lapsed"] == 1
    assert any("ha vencido" in s for s in _subjects(inbox)), _subjects(inbox)
    with factory() as s:
        assert "offer.lapsed" in {r.template for r in messaging.outbox(s)}
