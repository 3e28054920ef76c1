"""Deliver what is due from the outbox, one message per transaction, with backoff.

The attempt count and the next attempt's time live in the outbox row itself (durable,
visible on the outbox page), so a retry survives a restart of the worker or a flushed
job queue. On PostgreSQL each message is claimed with ``FOR UPDATE SKIP LOCKED``:
several workers never send the same one. A crash between the provider's "sent" and
the commit sends that message again on the next run (at least once; the window is one
message wide).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from garita.messaging import templates
from garita.messaging.channels import DeliveryError, OutboxTransport, Transports
from garita.messaging.core import next_state, retry_delay, without_secrets
from garita.messaging.models import OutboxMessage


@dataclass
class Policy:
    max_attempts: int = 8
    first_retry: dt.timedelta = dt.timedelta(seconds=60)


@dataclass
class Report:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


OUTBOX = OutboxTransport.name


def _claim(session: Session, at: dt.datetime, skip: set[int]) -> OutboxMessage | None:
    query = (select(OutboxMessage)
             .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= at)
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(1))
    if skip:
        query = query.where(OutboxMessage.id.not_in(skip))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).first()


def send_one(message: OutboxMessage, transports: Transports, policy: Policy,
             at: dt.datetime) -> str:
    """Try one message and record the outcome on its row; returns its new status."""
    transport = transports.for_channel(message.channel)
    message.attempts += 1
    message.transport = transport.name
    try:
        message.provider_id = transport.send(
            channel=message.channel, to=message.to_address or "", subject=message.subject,
            body=message.body, language=message.language)
    except DeliveryError as exc:
        message.last_error = str(exc)[:300]
        message.status = next_state(message.attempts, policy.max_attempts, exc.permanent)
        if message.status == "pending":
            message.next_attempt_at = at + retry_delay(message.attempts, policy.first_retry)
        else:
            _forget_secrets(message, transport.name)
        return message.status
    message.status, message.sent_at, message.last_error = "sent", at, None
    _forget_secrets(message, transport.name)
    return "sent"


def _forget_secrets(message: OutboxMessage, transport: str) -> None:
    """Delivered or given up: the row keeps no code or token (a retry needs it, so a
    pending row does). The development outbox transport sends nothing: its row *is* the
    delivery (read on /staff/outbox), so it keeps the text."""
    template = templates.registered().get(message.template)
    if transport == OUTBOX or template is None or not template.secrets:
        return
    message.subject, message.body, message.params = without_secrets(
        message.subject, message.body, message.params, template.secrets)


def deliver_due(factory: sessionmaker[Session], transports: Transports, policy: Policy,
                clock: Callable[[], dt.datetime], limit: int = 500) -> Report:
    """Send up to ``limit`` due messages, each in its own transaction."""
    report, tried = Report(), set[int]()
    for _ in range(limit):
        with factory() as session, session.begin():
            at = clock()
            message = _claim(session, at, tried)
            if message is None:
                break
            tried.add(message.id)
            status = send_one(message, transports, policy, at)
            note = f"message {message.id} ({message.channel}): {message.last_error}"
        if status == "sent":
            report.sent += 1
        elif status == "pending":
            report.retrying += 1
            report.errors.append(note)
        else:
            report.failed += 1
            report.errors.append(note)
    return report
