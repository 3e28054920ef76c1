"""Registrations (one per individual or family group) and the people in them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from garita.db import Base, UtcDateTime


class Registration(Base):
    __tablename__ = "registration"
    # The lists' name search reads one trigram index (PostgreSQL's pg_trgm, migration
    # 0016) on the normalised names instead of every row; SQLite has none and scans.
    __table_args__ = (Index("ix_registration_search_names_trgm", "search_names",
                            postgresql_using="gin",
                            postgresql_ops={"search_names": "gin_trgm_ops"})
                      .ddl_if(dialect="postgresql"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    language: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str] = mapped_column(String(20))
    # When the phone answered a code sent to it (garita.notify.phones); a changed phone
    # starts unverified. Only a verified phone receives SMS and WhatsApp messages.
    phone_verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    group_size: Mapped[int] = mapped_column(Integer)
    lead_nationality: Mapped[str] = mapped_column(String(3))
    # What the applicant cannot do unaided ("photo", "phone", "both"): an NGO may then
    # complete the confirmation with them (docs/data-rights.md, accommodation).
    assistance: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # Set when the registration was withdrawn and its personal data erased; the row stays
    # (without identity) for the draws, the audit log and the statistics.
    erased_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Every member's names, normalised (``registrations.search``), kept by the service:
    # what ``GET /registrations?name=`` and the NGO desk search. Empty once erased.
    search_names: Mapped[str] = mapped_column(Text, default="", server_default="")
    people: Mapped[list[Person]] = relationship(
        back_populates="registration", order_by="Person.position", cascade="all, delete-orphan"
    )


LEAD = text("position = 0")


class Person(Base):
    __tablename__ = "person"
    # Lists sorted by the lead's name read this index in order and stop at the page
    # (docs/benchmarks.md, "Registration lists"); only leads, so it stays small.
    __table_args__ = (Index("ix_person_lead_name", "family_names", "given_names",
                            "registration_id", postgresql_where=LEAD, sqlite_where=LEAD),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 0 = the lead
    given_names: Mapped[str] = mapped_column(String(120))
    family_names: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    country_of_birth: Mapped[str] = mapped_column(String(3))
    nationality: Mapped[str] = mapped_column(String(3))
    sex: Mapped[str] = mapped_column(String(1))
    documents: Mapped[list] = mapped_column(JSON, default=list)
    photo_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    us_street: Mapped[str] = mapped_column(String(200))
    us_unit: Mapped[str | None] = mapped_column(String(40), nullable=True)
    us_city: Mapped[str] = mapped_column(String(100))
    us_state: Mapped[str] = mapped_column(String(2))
    us_zip: Mapped[str] = mapped_column(String(10))
    registration: Mapped[Registration] = relationship(back_populates="people")
    keys: Mapped[list[PersonKey]] = relationship(cascade="all, delete-orphan",
                                                 passive_deletes=True)


class PersonKey(Base):
    """One key of one member (``registrations.keys``): same key, same person.

    ``registration_id`` is repeated from the person so the daily request's check
    (another registration with this key that asked today?) and the draw's read
    join keys to requests without the person table.

    ``shared`` marks a key that another registration also holds (set by
    ``registrations.sameperson.store_keys``, under a per-key lock). Only shared keys can
    put one person into a day's draw twice, and they are rare, so the draw and the
    request check read the small partial index of shared keys instead of joining
    every member's keys to a million requests (bench/bench_draw_db.py: 44 s → under 1 s).
    A flag can outlive the other holder's erasure: the checks still compare the
    requests themselves, so a stale flag costs a row, never a wrong answer.
    """

    __tablename__ = "person_key"
    __table_args__ = (Index("ix_person_key_key", "key", "registration_id"),
                      Index("ix_person_key_shared", "key", "registration_id",
                            postgresql_where=text("shared"), sqlite_where=text("shared = 1")))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class RegistrationChange(Base):
    """A correction or a change of membership, with its reason, readable (the audit log
    keeps only a digest of the change). Erased with the registration."""

    __tablename__ = "registration_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))  # correct | add | remove
    person_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # removed: no FK
    fields: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(String(300))
