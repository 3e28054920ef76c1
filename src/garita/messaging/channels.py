"""The transports: email through SMTP (stdlib smtplib), SMS and WhatsApp through a
provider (Twilio's Messages REST API over httpx), and ``outbox``, which sends nothing
and leaves the message on the outbox page (development, the demo).

smtplib rather than a library: it is the maintained standard client and does all of
SMTP (STARTTLS, login, MIME through ``email.message``); delivery runs in a worker, so
an async client would buy nothing.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

import httpx

from garita.settings import Settings


class DeliveryError(Exception):
    """A send that failed; ``permanent`` when trying again cannot help (a refused address)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport(Protocol):
    name: str

    def send(self, *, channel: str, to: str, subject: str, body: str, language: str) -> str | None:
        """Send one message; the provider's id for it, if any. Raises DeliveryError."""
        ...


class OutboxTransport:
    """Sends nothing: the message stays in the outbox, readable on /staff/outbox."""

    name = "outbox"

    def send(self, *, channel: str, to: str, subject: str, body: str, language: str) -> str | None:
        return None


@dataclass
class SmtpTransport:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout: float = 20.0
    name: str = "smtp"

    def send(self, *, channel: str, to: str, subject: str, body: str, language: str) -> str | None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message["Message-ID"] = msgid = make_msgid(domain="garita")
        message.set_content(body)
        message["Content-Language"] = language  # after set_content, which resets Content-*
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError("the server refused the address", permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP: {type(exc).__name__}: {exc}"[:300]) from exc
        return msgid


@dataclass
class TwilioTransport:
    """Twilio's Messages resource: ``POST /2010-04-01/Accounts/{sid}/Messages.json`` with
    To, From and Body, HTTP basic auth (account SID, auth token); 201 with the message sid."""

    url: str
    account_sid: str
    auth_token: str
    sms_from: str | None
    whatsapp_from: str | None = None
    timeout: float = 20.0
    name: str = "twilio"

    def send(self, *, channel: str, to: str, subject: str, body: str, language: str) -> str | None:
        sender = self.whatsapp_from if channel == "whatsapp" else self.sms_from
        if not sender:
            raise DeliveryError(f"no sending number for {channel} (GARITA_TWILIO_"
                                f"{'WHATSAPP_' if channel == 'whatsapp' else ''}FROM)",
                                permanent=True)
        if channel == "whatsapp":
            to, sender = f"whatsapp:{to}", f"whatsapp:{sender}"
        endpoint = f"{self.url.rstrip('/')}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        try:
            response = httpx.post(endpoint, data={"To": to, "From": sender, "Body": body},
                                  auth=(self.account_sid, self.auth_token), timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"Twilio: {type(exc).__name__}") from exc
        if response.status_code in (200, 201):
            return str(response.json().get("sid", ""))[:80] or None
        # 429 and 5xx pass; any other 4xx (a bad number, a refused body) will not.
        permanent = 400 <= response.status_code < 500 and response.status_code != 429
        raise DeliveryError(f"Twilio answered {response.status_code}", permanent=permanent)


@dataclass
class Transports:
    """Which transport carries each channel."""

    email: Transport
    short: Transport  # SMS and WhatsApp

    def for_channel(self, channel: str) -> Transport:
        return self.email if channel == "email" else self.short


def from_settings(settings: Settings) -> Transports:
    email: Transport = OutboxTransport()
    if settings.smtp_host:
        email = SmtpTransport(
            host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_from,
            user=settings.smtp_user, starttls=settings.smtp_starttls,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None)
    short: Transport = OutboxTransport()
    if settings.sms_provider == "twilio":
        if not (settings.twilio_account_sid and settings.twilio_auth_token):
            raise ValueError("GARITA_SMS_PROVIDER=twilio needs GARITA_TWILIO_ACCOUNT_SID and "
                             "GARITA_TWILIO_AUTH_TOKEN")
        short = TwilioTransport(
            url=settings.twilio_url, account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token.get_secret_value(),
            sms_from=settings.twilio_from, whatsapp_from=settings.twilio_whatsapp_from)
    return Transports(email=email, short=short)
