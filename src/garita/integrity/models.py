"""Watchlists (lists, entries, names) and the alerts every integrity finding becomes.

Normalised name forms are stored at load time so screening never re-derives
them per query; alerts carry a fingerprint so re-running a job does not raise
the same finding twice.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")


class Watchlist(Base):
    """One loaded version of a list; a reload of the same name+version is refused."""

    __tablename__ = "watchlist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[str] = mapped_column(String(80))
    source_format: Mapped[str] = mapped_column(String(20))  # ofac | csv
    loaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    loaded_by: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)


class WatchlistEntry(Base):
    """A listed individual (entities are kept too but not screened against people)."""

    __tablename__ = "watchlist_entry"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlist.id"), index=True)
    ref: Mapped[str] = mapped_column(String(40))  # the list's own id (OFAC ent_num)
    entry_type: Mapped[str] = mapped_column(String(20))  # individual | entity | vessel | ...
    name: Mapped[str] = mapped_column(String(350))
    program: Mapped[str | None] = mapped_column(String(200), nullable=True)
    dates_of_birth: Mapped[list] = mapped_column(JSON, default=list)  # ["1970-01-02", "1970"]
    countries: Mapped[list] = mapped_column(JSON, default=list)  # ISO-3 codes
    remarks: Mapped[str | None] = mapped_column(Text, nullable=True)


class WatchlistName(Base):
    """The primary name and every alias of an entry, with its normalised form."""

    __tablename__ = "watchlist_name"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("watchlist_entry.id"), index=True)
    name: Mapped[str] = mapped_column(String(350))
    normalised: Mapped[str] = mapped_column(String(350))
    is_alias: Mapped[bool] = mapped_column(Boolean, default=False)
    weak: Mapped[bool] = mapped_column(Boolean, default=False)  # OFAC "weak a.k.a."


class Alert(Base):
    """One finding on one registration (and person, when it concerns one member)."""

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    # None for a report about someone outside the scheme (a seller of appointments)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id"),
                                                        nullable=True, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    severity: Mapped[str] = mapped_column(String(10))  # low | medium | high
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    summary: Mapped[str] = mapped_column(String(300))
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    raised_by: Mapped[str] = mapped_column(String(120))
    decided_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
