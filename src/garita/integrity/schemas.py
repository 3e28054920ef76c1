"""What alerts and watchlists look like on the wire."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from garita.integrity.summaries import explain

# An alert's tier by its severity: what the reader must do with it.
TIERS = {"high": "act", "medium": "review", "low": "note"}


class AlertKind(StrEnum):
    watchlist = "watchlist"
    duplicate_identity = "duplicate_identity"
    shared_address = "shared_address"
    shared_phone = "shared_phone"
    shared_email = "shared_email"
    ring = "ring"
    report = "report"  # a person reported someone selling appointments or fake notices


class AlertStatus(StrEnum):
    open = "open"
    confirmed = "confirmed"
    dismissed = "dismissed"


class AlertOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: AlertKind
    registration_id: int | None
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

    @computed_field(  # type: ignore[prop-decorator]  # pydantic's documented form
        description="act: an officer must act before admission (the only tier on a port's "
                    "arrival list); review: an analyst looks; note: kept.")
    @property
    def tier(self) -> str:
        return TIERS.get(self.severity, "review")

    @computed_field(  # type: ignore[prop-decorator]  # pydantic's documented form
        description="The summary as a code (watchlist, duplicate_identity, shared, ring, "
                    "report, erased) for a client to say in its own language with `params`; "
                    "`summary` is the same in English.")
    @property
    def code(self) -> str:
        return explain(self.kind.value, self.evidence)[0]

    @computed_field(  # type: ignore[prop-decorator]  # pydantic's documented form
        description="The values the summary's code names (e.g. people, ports, probability).")
    @property
    def params(self) -> dict[str, Any]:
        return explain(self.kind.value, self.evidence)[1]


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


class ScreenIn(BaseModel):
    """One name to score against the active watchlists."""

    name: str = Field(min_length=2, max_length=300, examples=["Manuel Antonio Noriega"])
    date_of_birth: dt.date | None = None
    nationality: str | None = Field(default=None, pattern="^[A-Z]{3}$",
                                    description="ISO 3166-1 alpha-3, e.g. PAN.")
    limit: int = Field(default=10, ge=1, le=100)
    threshold: float = Field(default=0.0, ge=0, le=1)


class Agreement(BaseModel):
    agreement: str = Field(description="In English, e.g. 'born 3 years apart'.")
    code: str | None = Field(default=None, description="The agreement as a code: unknown, "
                             "same_date, same_year_only, same_year, one_year, years_apart; "
                             "nationality: unknown, same, different.")
    years: int | None = Field(default=None, description="Years apart (dates of birth).")
    bits: float
    listed: list[str]


class ScreenMatch(BaseModel):
    """One listed name scored against the query, with every term and its reason."""

    score: float
    tier: str
    bits: float
    name_bits: float
    ofac_score: int
    whole_name: float
    parts: list[Any]
    missing_listed_parts: list[Any]
    extra_parts: list[Any]
    date_of_birth: Agreement
    country: Agreement
    entry_id: int | str
    listed_name: str
    alias: bool
    weak_alias: dict[str, float] | None = None


class ScreenJobOut(BaseModel):
    people: int
    hits: int
    new_alerts: int
    list_names: int
    threshold: float
    note: str | None = None


class IntegrityJobOut(BaseModel):
    people: int
    new_alerts: int
    shared: dict[str, int] = Field(default_factory=dict)
    rings: int = 0
    duplicate_pairs: int = 0
    duplicates_note: str | None = None
