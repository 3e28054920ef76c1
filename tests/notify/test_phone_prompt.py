"""Issue 16: while a registration's phone has answered no code, /me/messages and the
registration's status page say "verify your phone" (here in Spanish); once verified,
the prompt is gone from both."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from garita.messaging import service as messaging
from kit import page_sign_up, register, sign_in

PROMPT = "Verifique su teléfono"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def test_the_prompt_shows_until_the_phone_is_verified(app):
    client = TestClient(app)
    client.cookies.set("garita_lang", "es")
    assert page_sign_up(client, "rosa@example.org").status_code == 303
    reg = register(client, sign_in(client, "rosa@example.org"))
    status_page = f"/me/registrations/{reg['id']}"
    page = client.get("/me/messages")
    assert PROMPT in page.text and "llegan a +525512345678" in page.text
    assert PROMPT in client.get(status_page).text
    r = client.post("/me/messages/phone", data={"csrf": _csrf(page.text), "step": "send",
                                                "registration_id": str(reg["id"])})
    assert r.status_code == 200, r.text
    with app.state.sessions() as s:
        [sms] = [m for m in messaging.outbox(s) if m.template == "registration.phone_code"]
    code = re.search(r"es (\d{6})", sms.body).group(1)  # type: ignore[union-attr]
    r = client.post("/me/messages/phone", data={"csrf": _csrf(r.text), "step": "verify",
                                                "registration_id": str(reg["id"]),
                                                "code": code})
    assert r.status_code == 200 and "El teléfono está verificado" in r.text
    assert PROMPT not in r.text
    status = client.get(status_page)
    assert status.status_code == 200 and PROMPT not in status.text
