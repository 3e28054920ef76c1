"""One row per background job: what it is, who started it, how far it got, how it ended."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


class BackgroundJob(Base):
    """A long staff action (a corridor plan, a screening run, an audit check).

    The worker that started it runs it in a thread and writes ``progress`` and
    ``heartbeat_at`` every second, so a poll that lands on another worker reads the
    same state; ``result`` is written in the work's own transaction, so a committed
    job is never shown as unfinished. A ``running`` row whose heartbeat stopped is a
    job whose worker died (read as abandoned, see :mod:`garita.jobs.service`).
    """

    __tablename__ = "background_job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), index=True)  # running | done | failed
    expected_seconds: Mapped[float] = mapped_column(Float)
    progress: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    heartbeat_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
