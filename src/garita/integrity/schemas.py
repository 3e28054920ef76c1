"""What alerts and watchlists look like on the wire."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AlertKind(StrEnum):
    watchlist = "watchlist"
    duplicate_identity = "duplicate_identity"
    shared_address = "shared_address"
    shared_phone = "shared_phone"
    shared_email = "shared_email"
    ring = "ring"


class AlertStatus(StrEnum):
    open = "open"
    confirmed = "confirmed"
    dismissed = "dismissed"


class AlertOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: AlertKind
    registration_id: int
    person_id: int | None
    severity: str
    score: float | None = None
    status: AlertStatus
    summary: str
    evidence: dict[str, Any]
    raised_at: dt.datetime
    raised_by: str
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    note: str | None = None


class Decision(BaseModel):
    """An analyst's verdict on an alert; the note says why (it is audited)."""

    status: AlertStatus = Field(description="confirmed or dismissed")
    note: str = Field(min_length=3, max_length=2000)


class WatchlistOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    version: str
    source_format: str
    loaded_at: dt.datetime
    loaded_by: str
    active: bool
    entry_count: int
