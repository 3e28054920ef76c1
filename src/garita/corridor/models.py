"""Seat requests, planned buses, transit permits and boarding records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


class CorridorPlan(Base):
    """One planning run: horizon, solver, proof figures (gap, bound) and the greedy baseline."""

    __tablename__ = "corridor_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    ran_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    ran_by: Mapped[str] = mapped_column(String(40))
    solver: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12))
    buses: Mapped[int] = mapped_column(Integer)
    greedy_buses: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gap: Mapped[float | None] = mapped_column(Float, nullable=True)
    summary: Mapped[dict] = mapped_column(JSON)


class CorridorBus(Base):
    __tablename__ = "corridor_bus"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("corridor_plan.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    hub: Mapped[str] = mapped_column(String(40))
    departs_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    stops: Mapped[list] = mapped_column(JSON)  # [{"port", "city", "arrives_at"}]
    seats: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="planned")  # planned|replaced


class SeatRequest(Base):
    """A confirmed appointment's group asking to ride from a hub to its border city.

    At most one live (requested or assigned) request per appointment, held by a
    partial unique index so parallel bookings cannot both insert; cancelled rows
    stay as history and a new request may follow them.
    """

    __tablename__ = "corridor_seat_request"
    __table_args__ = (
        Index("uq_corridor_seat_request_live_offer", "offer_id", unique=True,
              postgresql_where=text("status IN ('requested', 'assigned')"),
              sqlite_where=text("status IN ('requested', 'assigned')")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    hub: Mapped[str] = mapped_column(String(40))
    port: Mapped[str] = mapped_column(String(3))
    appointment_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    persons: Mapped[int] = mapped_column(Integer)
    children: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # requested|assigned|cancelled
    bus_id: Mapped[int | None] = mapped_column(ForeignKey("corridor_bus.id"), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Permit(Base):
    """A passenger's signed transit permit (FMM): number, validity, route."""

    __tablename__ = "corridor_permit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    seat_request_id: Mapped[int] = mapped_column(ForeignKey("corridor_seat_request.id"),
                                                 index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    route: Mapped[str] = mapped_column(String(120))
    token: Mapped[str] = mapped_column(String(400))
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Boarding(Base):
    __tablename__ = "corridor_boarding"
    __table_args__ = (UniqueConstraint("bus_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bus_id: Mapped[int] = mapped_column(ForeignKey("corridor_bus.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(10))  # boarded|no_show
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    by: Mapped[str] = mapped_column(String(40))
