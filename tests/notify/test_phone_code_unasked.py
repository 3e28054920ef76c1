"""Issue 16: a new registration's phone, and a changed one, receive their code without
asking — queued by the worker's scan (never on the request path), once per event — and
a PATCH without a reason is kept as "no reason given". SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

from garita.messaging import service as messaging
from garita.messaging.channels import OutboxTransport, Transports
from garita.notify import jobs
from garita.registrations import changes
from kit import applicant, register, settings_for

OUTBOX = Transports(email=OutboxTransport(), short=OutboxTransport())
PHONE, NEW_PHONE = "+525512345678", "+525587654321"


def _codes(client) -> list:
    with client.app.state.sessions() as s:
        return [(m.to_address, m.channel, m.body) for m in messaging.outbox(s)
                if m.template == "registration.phone_code"]


def _run(client, clock, database_url) -> None:
    jobs.run_once(client.app.state.sessions, settings_for(database_url), clock, OUTBOX)


def test_new_and_changed_phones_get_a_code_once_without_asking(client, clock, database_url):
    me = applicant(client)
    reg = register(client, me, email="ana@example.org")
    assert _codes(client) == []  # the request queued nothing: the worker does
    _run(client, clock, database_url)
    _run(client, clock, database_url)  # a second pass sends nothing twice
    [(to, channel, body)] = _codes(client)
    assert (to, channel) == (PHONE, "sms") and re.search(r"\d{6}", body)

    clock.now += dt.timedelta(minutes=2)
    r = client.patch(f"/registrations/{reg['id']}", headers=me, json={"phone": NEW_PHONE})
    assert r.status_code == 200, r.text
    _run(client, clock, database_url)
    _run(client, clock, database_url)
    sent = _codes(client)
    assert len(sent) == 2 and sent[0][0] == NEW_PHONE  # newest first
    code = re.search(r"(\d{6})", sent[0][2]).group(1)  # type: ignore[union-attr]
    r = client.post(f"/messages/phones/{reg['id']}/verify", headers=me, json={"code": code})
    assert r.status_code == 200 and r.json()["verified"] is True

    with client.app.state.sessions() as s:
        [row] = changes.changes_of(s, reg["id"])
    assert (row.fields, row.reason) == ("phone", "no reason given")


def test_a_verified_phone_gets_no_code(client, clock, database_url):
    me = applicant(client)
    reg = register(client, me)
    client.post(f"/messages/phones/{reg['id']}/code", headers=me)
    [(_, _, body)] = _codes(client)
    code = re.search(r"(\d{6})", body).group(1)  # type: ignore[union-attr]
    assert client.post(f"/messages/phones/{reg['id']}/verify", headers=me,
                       json={"code": code}).status_code == 200
    clock.now += dt.timedelta(minutes=2)
    _run(client, clock, database_url)
    assert len(_codes(client)) == 1
