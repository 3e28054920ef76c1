"""The daily request: one per registration per service day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
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
