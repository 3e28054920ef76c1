"""Delivery: retries with exponential backoff after a real SMTP server refuses, the SMS
adapter against a local HTTP server speaking the provider's API, on both databases."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from servers import sms_api, smtp_server
from sqlalchemy.orm import Session

from garita.db import make_engine, make_sessionmaker, transaction
from garita.messaging import core, delivery, service, templates
from garita.messaging.channels import (
    OutboxTransport,
    SmtpTransport,
    Transports,
    TwilioTransport,
    from_settings,
)
from kit import Clock, settings_for

templates.register(templates.Template(
    name="test.code", subject="Code {code}", body="Your code is {code}.", short="Code {code}"))
START = dt.datetime(2024, 9, 10, 12, tzinfo=dt.UTC)
POLICY = delivery.Policy(max_attempts=4, first_retry=dt.timedelta(seconds=60))


@pytest.fixture
def factory(database_url):
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def _queue(factory, clock, **contact) -> None:
    with transaction(factory) as s:
        s.info["clock"] = clock
        assert service.enqueue(s, event_key="code:1", template="test.code", language="en",
                               params={"code": "123456"}, **(
                                   {"to_email": None, "to_phone": None, "account_id": None}
                                   | contact))


def _rows(factory):
    with factory() as s:
        return service.outbox(s)


def test_smtp_failure_is_retried_with_exponential_backoff(factory):
    clock = Clock(START)
    _queue(factory, clock, to_email="ana@example.org")
    with smtp_server() as (inbox, port):
        transports = Transports(email=SmtpTransport("127.0.0.1", port, "g@garita.example",
                                                    starttls=False), short=OutboxTransport())
        inbox.reply = "451 4.3.0 Try again later"
        first = delivery.deliver_due(factory, transports, POLICY, clock)
        row = _rows(factory)[0]
        assert (first.retrying, row.status, row.attempts) == (1, "pending", 1)
        assert row.next_attempt_at == START + dt.timedelta(seconds=60)
        assert "451" in row.last_error
        # not due yet: nothing is tried
        clock.now = START + dt.timedelta(seconds=59)
        assert delivery.deliver_due(factory, transports, POLICY, clock).retrying == 0
        clock.now = START + dt.timedelta(seconds=60)
        delivery.deliver_due(factory, transports, POLICY, clock)
        row = _rows(factory)[0]
        assert row.attempts == 2 and row.next_attempt_at == clock.now + dt.timedelta(seconds=120)
        inbox.reply = "250 OK"
        clock.now += dt.timedelta(seconds=120)
        assert delivery.deliver_due(factory, transports, POLICY, clock).sent == 1
        assert delivery.deliver_due(factory, transports, POLICY, clock).sent == 0
    row = _rows(factory)[0]
    assert (row.status, row.attempts, row.transport, row.last_error) == ("sent", 3, "smtp", None)
    assert [m["Subject"] for m in inbox.messages] == ["Code 123456"]


def test_smtp_gives_up_after_the_last_attempt(factory):
    clock = Clock(START)
    _queue(factory, clock, to_email="ana@example.org")
    with smtp_server() as (inbox, port):
        transports = Transports(email=SmtpTransport("127.0.0.1", port, "g@garita.example",
                                                    starttls=False), short=OutboxTransport())
        inbox.reply = "451 4.3.0 Try again later"
        for _ in range(POLICY.max_attempts):
            delivery.deliver_due(factory, transports, POLICY, clock)
            clock.now += core.MAX_DELAY
    row = _rows(factory)[0]
    assert (row.status, row.attempts) == ("failed", POLICY.max_attempts)


def test_sms_through_the_providers_http_api(factory, database_url):
    clock = Clock(START)
    _queue(factory, clock, to_phone="+525512345678")
    with sms_api() as (provider, url):
        settings = settings_for(database_url, sms_provider="twilio", twilio_url=url,
                                twilio_account_sid="AC0123", twilio_auth_token="tok-en",
                                twilio_from="+15550100")
        transports = from_settings(settings)
        provider.status = 503  # the provider is down: try again later
        assert delivery.deliver_due(factory, transports, POLICY, clock).retrying == 1
        provider.status = 201
        clock.now += dt.timedelta(seconds=60)
        assert delivery.deliver_due(factory, transports, POLICY, clock).sent == 1
    sent = provider.requests[-1]
    assert sent["path"] == "/2010-04-01/Accounts/AC0123/Messages.json"
    assert sent["form"] == {"To": "+525512345678", "From": "+15550100", "Body": "Code 123456"}
    assert sent["auth"] == "Basic " + base64.b64encode(b"AC0123:tok-en").decode()
    row = _rows(factory)[0]
    assert (row.status, row.transport, row.attempts) == ("sent", "twilio", 2)
    assert row.provider_id == f"SM{2:032d}"


def test_a_refused_number_fails_at_once_and_whatsapp_has_its_prefix(factory):
    clock = Clock(START)
    with transaction(factory) as s:
        s.info["clock"] = clock
        service.set_preferences(s, 5, service.Preferences(sms=True, whatsapp=True))
    _queue(factory, clock, to_phone="+525512345678", account_id=5)
    with sms_api() as (provider, url):
        twilio = TwilioTransport(url=url, account_sid="AC1", auth_token="t", sms_from="+1555",
                                 whatsapp_from="+1666")
        provider.status = 400
        report = delivery.deliver_due(factory, Transports(email=OutboxTransport(), short=twilio),
                                      POLICY, clock)
    assert report.failed == 2
    assert {r["form"]["To"] for r in provider.requests} == {"+525512345678",
                                                            "whatsapp:+525512345678"}
    assert {r.status for r in _rows(factory)} == {"failed"}


def test_outbox_transport_keeps_the_message_for_the_page(factory):
    clock = Clock(START)
    _queue(factory, clock, to_email="ana@example.org")
    report = delivery.deliver_due(factory, Transports(OutboxTransport(), OutboxTransport()),
                                  POLICY, clock)
    row = _rows(factory)[0]
    assert report.sent == 1 and (row.transport, row.body) == ("outbox", "Your code is 123456.")


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=1, max_value=3600))
def test_backoff_doubles_and_is_capped(attempts, first_seconds):
    first = dt.timedelta(seconds=first_seconds)
    delay = core.retry_delay(attempts, first)
    assert first <= delay <= max(first, core.MAX_DELAY)
    nxt = core.retry_delay(attempts + 1, first)
    assert nxt == min(delay * 2, core.MAX_DELAY) or delay >= core.MAX_DELAY


def test_enqueue_stays_in_the_callers_transaction(factory):
    """A caller that rolls back leaves no message behind."""
    with factory() as s:
        s.info["clock"] = Clock(START)
        with s.begin():
            service.enqueue(s, event_key="code:rolled", template="test.code", account_id=None,
                            to_email="a@example.org", to_phone=None, language="en",
                            params={"code": "1"})
            s.rollback()
    with Session(bind=factory.kw["bind"]) as s:
        assert not service.queued(s, "code:rolled")
