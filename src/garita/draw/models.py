"""Draws and their seed commitments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


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
