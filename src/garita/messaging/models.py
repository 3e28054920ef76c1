"""The outbox (one row per message) and each account's contact preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


class OutboxMessage(Base):
    """One message on one channel. ``(event_key, channel)`` is unique: an event queued
    twice (a scan run twice, two workers racing) still sends one message per channel."""

    __tablename__ = "message_outbox"
    __table_args__ = (
        UniqueConstraint("event_key", "channel"),
        Index("ix_message_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_key: Mapped[str] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(60))
    account_id: Mapped[int | None] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(10))  # email, sms, whatsapp, none
    to_address: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # pending → sent | failed (after the last attempt) | skipped (no channel chosen)
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))
    transport: Mapped[str | None] = mapped_column(String(20))  # smtp, twilio, outbox
    provider_id: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class ContactPreference(Base):
    """What an account chose: which channels, which language, whether the daily
    "not selected" digest is wanted. No row: email on, SMS on when a phone is given."""

    __tablename__ = "contact_preference"

    account_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean, default=True)
    sms: Mapped[bool] = mapped_column(Boolean, default=True)
    whatsapp: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(2))
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
