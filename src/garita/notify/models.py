"""Where each of the scan's passes got to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


class Watermark(Base):
    """The last row id (new registrations, requests, offers) or the last instant (state
    changes) a pass of the scan has turned into messages. The outbox's unique event key
    makes a pass that runs again harmless; the watermark makes it cheap."""

    __tablename__ = "notify_watermark"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
