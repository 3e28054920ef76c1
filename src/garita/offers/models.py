"""Offers (a place for one request's group) and the members' confirmations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


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
    status: Mapped[str] = mapped_column(String(12), default="offered")  # see HOLDING
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
