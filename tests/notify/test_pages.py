"""The applicant chooses channels and language (page and API); admins read the outbox."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from garita.audit.models import AuditEntry
from garita.auth import service as accounts
from garita.auth.schemas import StaffIn
from garita.db import transaction
from garita.identity import Principal, Role
from garita.messaging import service as messaging
from kit import applicant, page_sign_up, staff

PASSWORD = "correct horse battery"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _page_client(app, email: str, signup: bool = True) -> TestClient:
    client = TestClient(app)
    client.cookies.set("garita_lang", "es")
    if signup:  # the form, the link in the email, then sign-in
        r = page_sign_up(client, email)
        assert r.status_code == 303
        return client
    else:
        r = client.post("/signin", data={"csrf": _csrf(client.get("/signin").text),
                                         "email": email, "password": PASSWORD})
    assert r.status_code == 200
    return client


def test_preferences_page_in_spanish_saves_and_audits(app):
    client = _page_client(app, "eva@example.org")
    assert "/me/messages" in client.get("/me").text
    page = client.get("/me/messages")
    assert page.status_code == 200 and "Canales" in page.text and "Guardar" in page.text
    r = client.post("/me/messages", data={"csrf": _csrf(page.text), "whatsapp": "on",
                                          "language": "pt", "digest": "on"})
    assert r.status_code == 200 and "Sus preferencias están guardadas." in r.text
    with app.state.sessions() as s:
        entry = s.scalars(select(AuditEntry)
                          .where(AuditEntry.action == "messages.preferences")).one()
        prefs = messaging.preferences(s, int(entry.object_id))
    assert (prefs.email, prefs.sms, prefs.whatsapp, prefs.language, prefs.digest) == (
        False, False, True, "pt", True)
    assert client.post("/me/messages", data={"email": "on"}).status_code == 403  # no CSRF
    assert client.get("/staff/outbox").status_code == 403  # applicants: not the outbox


def test_outbox_page_for_admins(app):
    with transaction(app.state.sessions) as s:
        accounts.create_staff(s, app.state.hasher,
                              StaffIn(email="root@garita.example", password=PASSWORD,
                                      role=Role.admin, port=None),
                              Principal(account_id=0, role=Role.admin))
    client = _page_client(app, "root@garita.example", signup=False)
    page = client.get("/staff/outbox")
    assert page.status_code == 200 and "Bandeja de salida" in page.text


def test_preferences_api_and_outbox_roles(client):
    me = applicant(client)
    assert client.get("/messages/preferences", headers=me).json()["email"] is True
    r = client.put("/messages/preferences", headers=me,
                   json={"email": True, "sms": False, "whatsapp": False, "language": "ru"})
    assert r.status_code == 200 and r.json()["language"] == "ru"
    assert client.get("/messages/preferences", headers=me).json()["language"] == "ru"
    bad = client.put("/messages/preferences", headers=me, json={"language": "fr"})
    assert bad.status_code == 422
    # what the account got so far: the code that confirmed its email
    assert [m["template"] for m in client.get("/messages/mine", headers=me).json()] == [
        "account.verify"]
    assert client.get("/messages/outbox", headers=me).status_code == 403
    admin = staff(client)
    assert client.get("/messages/outbox?status=pending", headers=admin).status_code == 200
