"""enqueue: one row per chosen channel, once per event key, in the caller's transaction."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from garita.db import make_engine
from garita.messaging import service, templates
from garita.messaging.schemas import Preferences

templates.register(templates.Template(
    name="test.hello", subject="Hello {who}", body="Body for {who}: {link}", short="Hi {who}"))


@pytest.fixture
def session(database_url):
    engine = make_engine(database_url)
    with Session(engine) as s, s.begin():
        yield s
    engine.dispose()


def _enqueue(session, key="k1", **over):
    args = dict(event_key=key, template="test.hello", account_id=None, to_email="a@example.org",
                to_phone="+15550100", language="es", params={"who": "x", "link": "http://l"})
    return service.enqueue(session, **(args | over))


def test_an_event_is_queued_once_per_channel(session):
    assert _enqueue(session) is True
    assert _enqueue(session) is False
    rows = service.outbox(session)
    assert sorted(r.channel for r in rows) == ["email", "sms"]
    email = next(r for r in rows if r.channel == "email")
    assert (email.subject, email.body, email.status) == ("Hello x", "Body for x: http://l",
                                                        "pending")


def test_preferences_choose_channels_and_language(session):
    service.set_preferences(session, 7, Preferences(email=False, sms=False, whatsapp=True,
                                                    language="pt"))
    assert _enqueue(session, "k2", account_id=7) is True
    rows = service.outbox(session, account_id=7)
    assert [(r.channel, r.language, r.body) for r in rows] == [("whatsapp", "pt", "Hi x")]


def test_no_channel_is_recorded_as_skipped_once(session):
    assert _enqueue(session, "k3", to_email=None, to_phone=None) is True
    assert _enqueue(session, "k3", to_email=None, to_phone=None) is False
    assert [r.status for r in service.outbox(session)] == ["skipped"]


def test_a_missing_field_is_refused_before_anything_is_stored(session):
    with pytest.raises(ValueError, match="needs the fields link"):
        _enqueue(session, "k4", params={"who": "x"})
    with pytest.raises(ValueError, match="no message template"):
        _enqueue(session, "k5", template="nope")
    assert service.outbox(session) == []
