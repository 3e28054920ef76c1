"""Issue 16: a registration's phone is proven by a code sent to it by SMS, and only a
verified phone receives SMS (and WhatsApp) messages. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

from garita.messaging import service as messaging
from garita.messaging.channels import OutboxTransport, Transports
from garita.notify import jobs
from kit import CIUDAD_JUAREZ, applicant, ask, register, settings_for, staff

DAY = dt.date(2024, 9, 10)
OUTBOX = Transports(email=OutboxTransport(), short=OutboxTransport())
PHONE = "+525512345678"  # kit's "+52 55 1234 5678", as stored (E.164)


def _code(body: str) -> str:
    found = re.search(r"(?:es|is) (\d{6})", body)
    assert found, body
    return found.group(1)


def _codes(client) -> list:
    with client.app.state.sessions() as s:
        return [m for m in messaging.outbox(s) if m.template == "registration.phone_code"]


def _selection_channels(client, clock, database_url, me: dict, reg_id: int) -> set[str]:
    admin = staff(client)
    clock.set_et(DAY, 13)
    assert ask(client, me, reg_id, CIUDAD_JUAREZ).status_code == 201
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    assert client.post(f"/draws/{DAY}", headers=admin).status_code == 201
    jobs.run_once(client.app.state.sessions, settings_for(database_url), clock, OUTBOX)
    with client.app.state.sessions() as s:
        return {(m.channel, m.to_address) for m in messaging.outbox(s)
                if m.template == "offer.selected"}


def test_the_code_goes_by_sms_a_wrong_one_is_refused_and_the_right_one_verifies(
        client, clock, database_url):
    me = applicant(client)
    reg = register(client, me, email="ana@example.org")
    assert client.get("/messages/phones", headers=me).json() == [
        {"registration_id": reg["id"], "phone": PHONE, "verified": False, "verified_at": None}]
    r = client.post(f"/messages/phones/{reg['id']}/code", headers=me)
    assert r.status_code == 202, r.text
    assert PHONE in r.json()["message"]
    [sms] = _codes(client)
    assert (sms.channel, sms.to_address, sms.language) == ("sms", PHONE, "es")
    code = _code(sms.body)
    assert "confirmar este teléfono" in sms.body
    # one a minute: an SMS costs money and reaches a person
    again = client.post(f"/messages/phones/{reg['id']}/code", headers=me)
    assert again.status_code == 429 and "wait a minute" in again.json()["detail"]

    wrong = "000000" if code != "000000" else "111111"
    r = client.post(f"/messages/phones/{reg['id']}/verify", headers=me, json={"code": wrong})
    assert r.status_code == 422
    assert "That code is wrong, used or expired" in r.json()["detail"]
    r = client.post(f"/messages/phones/{reg['id']}/verify", headers=me, json={"code": code})
    assert r.status_code == 200, r.text
    assert r.json()["verified"] is True
    # someone else's registration answers as a missing one
    other = applicant(client)
    assert client.post(f"/messages/phones/{reg['id']}/code", headers=other).status_code == 404

    assert _selection_channels(client, clock, database_url, me, reg["id"]) == {
        ("email", "ana@example.org"), ("sms", PHONE)}


def test_an_unverified_phone_gets_no_sms(client, clock, database_url):
    me = applicant(client)
    reg = register(client, me, email="ana@example.org")
    assert _selection_channels(client, clock, database_url, me, reg["id"]) == {
        ("email", "ana@example.org")}


def test_a_changed_phone_must_be_verified_again(client, clock):
    me = applicant(client)
    reg = register(client, me, email="ana@example.org")
    client.post(f"/messages/phones/{reg['id']}/code", headers=me)
    code = _code(_codes(client)[0].body)
    r = client.post(f"/messages/phones/{reg['id']}/verify", headers=me, json={"code": code})
    assert r.status_code == 200 and r.json()["verified"] is True
    r = client.patch(f"/registrations/{reg['id']}", headers=me,
                     json={"phone": "+52 55 8765 4321"})
    assert r.status_code == 200, r.text
    [row] = client.get("/messages/phones", headers=me).json()
    assert (row["phone"], row["verified"]) == ("+525587654321", False)
