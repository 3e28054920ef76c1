"""One photo per (appointment, person), sealed; the image itself never leaves unsealed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


class Photo(Base):
    __tablename__ = "photo"
    __table_args__ = (UniqueConstraint("offer_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    taken_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    taken_by: Mapped[str] = mapped_column(String(120))
    key_id: Mapped[str] = mapped_column(String(16))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    delete_after: Mapped[dt.date] = mapped_column(Date, index=True)
