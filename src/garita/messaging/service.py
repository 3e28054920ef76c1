"""Queue messages inside the caller's transaction; read and change contact preferences.

:func:`enqueue` is the one entry point for every feature that tells a person something
(notify's events, accounts' verification codes). It renders the template now, stores
one outbox row per chosen channel and returns at once: delivery is the job queue's
(``garita.messaging.delivery``), never the request's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from garita.messaging import templates
from garita.messaging.models import ContactPreference, OutboxMessage
from garita.messaging.schemas import OutboxRow, Preferences

SHORT_CHANNELS = ("sms", "whatsapp")


def now(session: Session) -> dt.datetime:
    """The clock the edge put on the session (``GARITA_CLOCK_START``), else the wall clock."""
    clock = session.info.get("clock")
    return clock() if clock is not None else dt.datetime.now(dt.UTC)


def enqueue(session: Session, *, event_key: str, template: str, account_id: int | None,
            to_email: str | None, to_phone: str | None, language: str,
            params: dict[str, Any], prefs: Preferences | None = None) -> bool:
    """Queue the message for ``event_key`` on the channels the account chose (email
    when an address is given; SMS or WhatsApp when a phone is). In the caller's
    transaction; nothing is sent here.

    Returns False if this event key was already queued (the event sends once, even when
    two scans race: the unique key decides, not a read before the write). An event with
    no usable channel is stored once as ``skipped``, so the reason stays visible.
    """
    if prefs is None:  # a batch caller may pass what it already read
        prefs = preferences(session, account_id) if account_id is not None else Preferences()
    language = prefs.language or language
    if language not in templates.LANGUAGES:
        language = "en"
    text = templates.render(template, language, params)
    at = now(session)
    base = {"event_key": event_key, "template": template, "account_id": account_id,
            "language": language, "params": params, "attempts": 0, "next_attempt_at": at,
            "created_at": at, "status": "pending"}
    rows = []
    if to_email and prefs.email:
        rows.append(base | {"channel": "email", "to_address": to_email,
                            "subject": text.subject, "body": text.body})
    for channel in SHORT_CHANNELS:
        if to_phone and getattr(prefs, channel):
            rows.append(base | {"channel": channel, "to_address": to_phone,
                                "subject": text.subject, "body": text.short})
    if not rows:
        rows.append(base | {"channel": "none", "to_address": None, "subject": text.subject,
                            "body": text.short, "status": "skipped"})
    return _insert_new(session, rows) > 0


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert the rows whose (event_key, channel) is new; how many were inserted."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    known = session.scalar(select(func.count()).select_from(OutboxMessage)
                           .where(OutboxMessage.event_key == rows[0]["event_key"]))
    if known:
        return 0
    result = session.execute(insert(OutboxMessage).on_conflict_do_nothing(
        index_elements=["event_key", "channel"]).returning(OutboxMessage.id), rows)
    return len(result.all())


def queued(session: Session, event_key: str) -> bool:
    return session.scalar(select(OutboxMessage.id)
                          .where(OutboxMessage.event_key == event_key).limit(1)) is not None


def queued_keys(session: Session, keys: list[str]) -> set[str]:
    """Which of these event keys are already in the outbox (one query per 500 keys)."""
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        found.update(session.scalars(select(OutboxMessage.event_key).distinct()
                                     .where(OutboxMessage.event_key.in_(keys[i:i + 500]))))
    return found


def preferences(session: Session, account_id: int) -> Preferences:
    row = session.get(ContactPreference, account_id)
    return Preferences() if row is None else Preferences.model_validate(row, from_attributes=True)


def set_preferences(session: Session, account_id: int, prefs: Preferences) -> Preferences:
    """Store an account's choice (the caller audits it, in the same transaction)."""
    row = session.get(ContactPreference, account_id)
    if row is None:
        row = ContactPreference(account_id=account_id)
        session.add(row)
    for field, value in prefs.model_dump().items():
        setattr(row, field, value)
    row.updated_at = now(session)
    session.flush()
    return prefs


def outbox(session: Session, *, limit: int = 100, account_id: int | None = None,
           status: str | None = None) -> list[OutboxRow]:
    """The newest messages first (the admins' outbox page, the demo's inbox)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if account_id is not None:
        query = query.where(OutboxMessage.account_id == account_id)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return [OutboxRow.model_validate(m, from_attributes=True) for m in session.scalars(query)]


def counts(session: Session) -> dict[str, int]:
    """Messages by status."""
    rows = session.execute(select(OutboxMessage.status, func.count())
                           .group_by(OutboxMessage.status))
    return {status: n for status, n in rows}


def language_for(session: Session, account_id: int | None, default: str) -> str:
    """The language a message to this account is written in: its choice, else ``default``."""
    chosen = preferences(session, account_id).language if account_id is not None else None
    return chosen or (default if default in templates.LANGUAGES else "en")


def digest_accounts(session: Session) -> list[int]:
    """Accounts that asked for the daily "not selected" digest."""
    return list(session.scalars(select(ContactPreference.account_id)
                                .where(ContactPreference.digest.is_(True))
                                .order_by(ContactPreference.account_id)))


def erase_for(session: Session, *, addresses: list[str], account_id: int | None = None) -> int:
    """Forget the messages sent (or waiting) to these addresses, or to this account
    (``garita.rights``: a deleted registration, a closed account): address, text and
    parameters are cleared, a message not yet sent is never sent. The row stays (its event
    key keeps the event from being told again)."""
    who: list[ColumnElement[bool]] = [OutboxMessage.to_address.in_(addresses)] if addresses else []
    if account_id is not None:
        who.append(OutboxMessage.account_id == account_id)
    if not who:
        return 0
    done = session.execute(
        update(OutboxMessage).where(or_(*who))
        .values(to_address=None, subject="", body="", params={}, last_error=None,
                status=case((OutboxMessage.status == "sent", "sent"), else_="erased")))
    return int(done.rowcount or 0)  # type: ignore[attr-defined]
