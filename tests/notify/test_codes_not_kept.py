"""Issue 16: a code is a credential. Once delivered (a real SMTP server, a local HTTP
server speaking the SMS provider's API), no outbox row holds the email code, its link
or the phone code; a message still waiting for a retry keeps what it must re-send.
SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re

from servers import sms_api, smtp_server
from sqlalchemy import select

from garita.messaging.channels import from_settings
from garita.messaging.models import OutboxMessage
from garita.notify import jobs
from kit import register, settings_for, sign_in, verify

EMAIL = "lu@example.org"


def _rows(client) -> list[OutboxMessage]:
    with client.app.state.sessions() as s:
        return list(s.scalars(select(OutboxMessage)))


def _outbox_text(client) -> str:
    """Everything the outbox table holds in text: subjects, bodies, saved parameters."""
    return "\n".join(f"{m.subject}\n{m.body}\n{json.dumps(m.params)}" for m in _rows(client))


def test_after_delivery_no_outbox_row_holds_a_code(client, clock, database_url):
    r = client.post("/auth/signup", json={"email": EMAIL, "password": "correct horse battery"})
    assert r.status_code == 202, r.text
    [sent] = [m for m in _rows(client) if m.template == "account.verify"]
    code, link = sent.params["code"], sent.params["link"]
    assert code in _outbox_text(client)  # pending: kept, a retry must send it
    verify(client, EMAIL)
    register(client, sign_in(client, EMAIL))
    with smtp_server() as (inbox, port), sms_api() as (provider, url):
        settings = settings_for(database_url, smtp_host="127.0.0.1", smtp_port=port,
                                smtp_starttls=False, sms_provider="twilio", twilio_url=url,
                                twilio_account_sid="AC0123", twilio_auth_token="tok-en",
                                twilio_from="+15550100")
        jobs.run_once(client.app.state.sessions, settings, clock, from_settings(settings))
    [mail] = [m for m in inbox.messages if code in m["Subject"]]
    assert link in mail.get_body(("plain",)).get_content()
    [sms] = [r["form"]["Body"] for r in provider.requests]  # the phone's code, unasked
    phone_code = re.search(r"\b(\d{6})\b", sms).group(1)  # type: ignore[union-attr]
    kept = _outbox_text(client)
    assert code not in kept and link not in kept and phone_code not in kept
    assert "[removed after delivery]" in kept
