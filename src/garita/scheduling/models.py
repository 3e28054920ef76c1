"""Daily requests, draws, offers and confirmations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")


class DailyRequest(Base):
    """One per registration per service day; stores where it was made and the verdict."""

    __tablename__ = "daily_request"
    __table_args__ = (UniqueConstraint("registration_id", "service_date"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"))
    service_date: Mapped[dt.date] = mapped_column(Date, index=True)
    port: Mapped[str] = mapped_column(String(3))
    group_size: Mapped[int] = mapped_column(Integer)
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    state: Mapped[str | None] = mapped_column(String(40), nullable=True)
    zone: Mapped[str] = mapped_column(String(120))
    geo_version: Mapped[str] = mapped_column(String(160))
    requested_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Draw(Base):
    __tablename__ = "draw"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_date: Mapped[dt.date] = mapped_column(Date, unique=True)
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_version.id"))
    seed: Mapped[str] = mapped_column(String(64))
    seed_sha256: Mapped[str] = mapped_column(String(64))
    ran_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    result_digest: Mapped[str] = mapped_column(String(64))
    summary: Mapped[dict] = mapped_column(JSON)
    committed_in_advance: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())
    draw_inputs: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # see publication.py


class DrawCommitment(Base):
    """The SHA-256 of a day's seed, public from ``committed_at``; the seed sealed until the draw."""

    __tablename__ = "draw_commitment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_date: Mapped[dt.date] = mapped_column(Date, unique=True)
    seed_sha256: Mapped[str] = mapped_column(String(64))
    seed_sealed: Mapped[str] = mapped_column(String(160))  # hex(nonce || AES-GCM ciphertext)
    committed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    committed_by: Mapped[str] = mapped_column(String(120))
    revealed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class Offer(Base):
    """A place offered to one request's group; becomes the appointment once confirmed."""

    __tablename__ = "offer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draw.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("daily_request.id"), unique=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    port: Mapped[str] = mapped_column(String(3))
    tier: Mapped[str] = mapped_column(String(20))
    rank: Mapped[int] = mapped_column(Integer)
    persons: Mapped[int] = mapped_column(Integer)
    appointment_date: Mapped[dt.date] = mapped_column(Date, index=True)
    slot: Mapped[dt.time] = mapped_column(Time)
    confirm_deadline: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(12), default="offered")  # offered|confirmed|lapsed
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(),
                                                             nullable=True)


class Confirmation(Base):
    __tablename__ = "confirmation"
    __table_args__ = (UniqueConstraint("offer_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    state: Mapped[str | None] = mapped_column(String(40), nullable=True)
    eligible: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
