"""Check-ins, per-person outcomes and closed port days.

Outcomes are append-only: a correction is a new row with the next ``revision``
that names the row it supersedes, so the history of decisions stays readable
and each step has its own audit entry. The current outcome of a person on an
appointment is the row with the highest revision.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


class CheckIn(Base):
    """A group arrived for its appointment and an officer confirmed who they are."""

    __tablename__ = "port_checkin"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), unique=True)
    port: Mapped[str] = mapped_column(String(3))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    officer_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    identity_confirmed: Mapped[bool] = mapped_column(Boolean)
    method: Mapped[str] = mapped_column(String(20))  # offer_id|confirmation_number|token
    timing: Mapped[str] = mapped_column(String(8))  # early|on_time|late
    minutes_from_slot: Mapped[int] = mapped_column(Integer)
    late_accepted: Mapped[bool] = mapped_column(Boolean, default=False)


class Outcome(Base):
    """One decision about one person on one appointment (a revision of it)."""

    __tablename__ = "port_outcome"
    __table_args__ = (UniqueConstraint("offer_id", "person_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    port: Mapped[str] = mapped_column(String(3))
    revision: Mapped[int] = mapped_column(Integer)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("port_outcome.id"),
                                                      nullable=True)
    outcome: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(String(40))
    parole_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class PortDay(Base):
    """A port's day once closed: confirmed appointments not checked in became no-shows."""

    __tablename__ = "port_day"
    __table_args__ = (UniqueConstraint("port", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    port: Mapped[str] = mapped_column(String(3))
    day: Mapped[dt.date] = mapped_column(Date)
    closed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    closed_by: Mapped[str] = mapped_column(String(120))
    no_shows: Mapped[int] = mapped_column(Integer)
    no_show_persons: Mapped[int] = mapped_column(Integer)
