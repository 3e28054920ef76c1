"""Help requests, reports of abuse and requests for assistance: one queue, one table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from garita.db import Base, UtcDateTime


class HelpRequest(Base):
    """Something a person asked for, from any page, and the answer NGO staff or an admin gave.

    ``kind`` is ``help`` (a question), ``report`` (someone selling appointments or fake
    notices: it also raises an integrity alert) or ``assistance`` (the person cannot take
    the photo or use the phone unaided). ``share`` records the person's consent to let
    the helper read the registration named.
    """

    __tablename__ = "help_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id"),
                                                        nullable=True, index=True)
    share: Mapped[bool] = mapped_column(Boolean, default=False)
    page: Mapped[str | None] = mapped_column(String(200), nullable=True)
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)  # open|answered
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answered_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    helper_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
