"""The account's messages page verifies a phone in Spanish: send a code, a wrong code is
refused with a sentence saying what to do, the right one verifies (issue 16)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from garita.messaging import service as messaging
from kit import page_sign_up, register, sign_in


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def test_phone_verification_on_the_messages_page_in_spanish(app):
    client = TestClient(app)
    client.cookies.set("garita_lang", "es")
    assert page_sign_up(client, "flor@example.org").status_code == 303
    reg = register(client, sign_in(client, "flor@example.org"))
    page = client.get("/me/messages")
    assert "+525512345678" in page.text and "Sin verificar" in page.text
    r = client.post("/me/messages/phone", data={"csrf": _csrf(page.text), "step": "send",
                                                "registration_id": str(reg["id"])})
    assert r.status_code == 200 and "Un código va en camino por SMS" in r.text
    with app.state.sessions() as s:
        [sms] = [m for m in messaging.outbox(s) if m.template == "registration.phone_code"]
    code = re.search(r"es (\d{6})", sms.body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    r = client.post("/me/messages/phone", data={"csrf": _csrf(r.text), "step": "verify",
                                                "registration_id": str(reg["id"]),
                                                "code": wrong})
    assert r.status_code == 422
    assert "Ese código es incorrecto, ya se usó o venció" in r.text
    r = client.post("/me/messages/phone", data={"csrf": _csrf(r.text), "step": "verify",
                                                "registration_id": str(reg["id"]),
                                                "code": code})
    assert r.status_code == 200 and "El teléfono está verificado" in r.text
    assert "Sin verificar" not in r.text
