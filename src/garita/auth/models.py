"""Accounts: applicants, NGOs acting for applicants, and staff roles; their sessions,
one-time codes (email verification, password reset) and two-factor recovery codes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    port: Mapped[str | None] = mapped_column(String(3), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    email_verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    phone_verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # The TOTP secret (RFC 6238) sealed under GARITA_TOTP_KEY (garita.auth.totpkeys), never
    # in clear; set at enrolment, active once totp_enabled_at is set
    totp_secret: Mapped[str | None] = mapped_column(String(200), nullable=True)
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)  # no replay


class AccountSession(Base):
    """One signed-in session: every token carries its id (``sid``); revoked ones are refused."""

    __tablename__ = "account_session"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True,
                                                           index=True)
    client: Mapped[str] = mapped_column(String(120), default="")  # the browser/app, no address
    full_access: Mapped[bool] = mapped_column(Boolean, default=True)  # False: enrolment only


class AccountCode(Base):
    """A single-use, expiring secret sent to the person: only its SHA-256 is stored.

    ``purpose``: ``verify_email``, ``verify_phone`` or ``reset``. A verification has a
    long link token and a short code typed by hand (``code_hash``), with failed tries
    counted so the short code cannot be guessed.
    """

    __tablename__ = "account_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class RecoveryCode(Base):
    """Two-factor recovery codes (hashed), each good once."""

    __tablename__ = "account_recovery_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)

