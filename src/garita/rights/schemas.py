"""Data rights on the wire: deletion, the wait estimate, the retention run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from garita.registrations.schemas import Address
from garita.text import Text


class DeleteIn(BaseModel):
    """Withdraw a registration and erase its personal data (this cannot be undone)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: Text = Field(default="withdrawn by the applicant", min_length=3, max_length=300)
    close_account: bool = Field(
        default=False, description="Also close this sign-in account (its email is erased) "
                                   "when it holds no other registration.")


class Deleted(BaseModel):
    registration_id: int
    erased_at: dt.datetime
    people: int
    account_closed: bool


class OddsOut(BaseModel):
    days: int = Field(description="Draws whose random share selected someone, in the window.")
    one_in: float = Field(description="Median day: about 1 in this many requests selected.")
    one_in_low: float
    one_in_high: float


class EstimateOut(BaseModel):
    """An honest estimate of the wait, from the published draws only (docs/wait-estimate.md)."""

    registration_id: int
    port: str | None = Field(description="The port of the last request (or the one asked).")
    window: int = Field(description="Published draws used.")
    odds: OddsOut | None
    within_longest_waiting: bool
    cutoff: dt.date | None = Field(description="Newest registration day the longest-waiting "
                                               "share has reached.")
    days: list[int] | None = Field(description="[central, low, high] days until the share "
                                               "reaches this registration; null: not moving.")
    message: str
    method: str = "docs/wait-estimate.md"


class RetentionRun(BaseModel):
    examined: int
    erased: int
    cutoff: dt.date


class ExportAddress(BaseModel):
    street: str | None
    unit: str | None
    city: str | None
    state: str | None
    zip: str | None


class ExportPerson(BaseModel):
    id: int
    position: int
    given_names: str | None
    family_names: str | None
    date_of_birth: str = Field(description="ISO date.")
    country_of_birth: str | None
    nationality: str | None
    sex: str | None
    documents: Any = Field(description="The identity documents as they were entered.")
    photo_sha256: str | None
    us_address: ExportAddress


class ExportRequest(BaseModel):
    id: int
    service_date: str = Field(description="ISO date.")
    port: str
    lat: float | None
    lon: float | None
    state: str | None
    zone: str | None
    requested_at: str = Field(description="ISO time.")


class ExportOffer(BaseModel):
    id: int
    port: str
    tier: str | None
    appointment_date: str = Field(description="ISO date.")
    slot: str = Field(description="ISO time of day.")
    status: str
    confirm_deadline: str = Field(description="ISO time.")
    confirmation_number: str | None


class ExportConfirmation(BaseModel):
    offer_id: int
    person_id: int | None
    lat: float | None
    lon: float | None
    state: str | None
    eligible: bool | None
    at: str = Field(description="ISO time.")


class ExportChange(BaseModel):
    at: str = Field(description="ISO time.")
    by: str
    action: str
    person_id: int | None
    fields: Any = Field(description="The fields changed (names, old and new values).")
    reason: str | None


class ExportHistory(BaseModel):
    at: str = Field(description="ISO time.")
    actor: str
    action: str


class DataExport(BaseModel):
    """Everything Garita holds about one registration, for its owner (docs/data-rights.md)."""

    id: int
    registered_at: dt.datetime
    language: str
    phone: str
    email: str | None
    group_size: int
    us_address: Address
    people: list[ExportPerson]
    assistance: Any = Field(description="Assistance asked for, as entered.")
    account_email: str | None
    requests: list[ExportRequest]
    offers: list[ExportOffer]
    confirmations: list[ExportConfirmation]
    changes: list[ExportChange]
    history: list[ExportHistory]
