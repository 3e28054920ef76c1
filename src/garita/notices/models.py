"""One notice per confirmed offer: its confirmation number and the token as issued."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


class Notice(Base):
    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"), unique=True)
    confirmation_number: Mapped[str] = mapped_column(String(10), unique=True)
    kid: Mapped[str] = mapped_column(String(16))
    token: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
