"""What the port's day looks like on the wire: arrivals, check-ins, outcomes, summaries."""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from garita.integrity.schemas import AlertOut
from garita.policy.schemas import LocalTime
from garita.ports.core import OUTCOMES, REASONS

OutcomeCode = Literal["paroled", "notice_to_appear", "detained", "expedited_removal",
                      "permitted_to_withdraw", "refused"]
assert set(get_args(OutcomeCode)) == set(OUTCOMES)  # one list of codes, checked at import

_REASON_HELP = "; ".join(f"{o}: {', '.join(r)}" for o, r in REASONS.items())


class CheckInIn(BaseModel):
    """Find the appointment by exactly one of offer_id, confirmation_number or token."""

    model_config = ConfigDict(extra="forbid")
    offer_id: int | None = Field(default=None, ge=1, description="The appointment's id.")
    confirmation_number: str | None = Field(default=None, min_length=4, max_length=40,
                                            description="The notice's confirmation number.")
    token: str | None = Field(default=None, min_length=10, max_length=4000,
                              description="The signed token from the notice's QR code.")
    identity_confirmed: bool = Field(
        description="The officer checked every member against the notice (photo, documents).")
    accept_late: bool = Field(
        default=False, description="Admit a group that arrived after the late allowance.")

    @model_validator(mode="after")
    def _one_key(self) -> CheckInIn:
        given = [k for k in ("offer_id", "confirmation_number", "token") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("send exactly one of offer_id, confirmation_number or token")
        return self


class CheckInOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    offer_id: int
    port: str
    day: dt.date
    at: dt.datetime
    officer_id: int
    identity_confirmed: bool
    method: str
    timing: Literal["early", "on_time", "late"]
    minutes_from_slot: int
    late_accepted: bool


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    offer_id: int = Field(ge=1, description="The checked-in appointment.")
    person_id: int = Field(ge=1, description="The member decided on.")
    outcome: OutcomeCode
    reason: str = Field(min_length=2, max_length=40, description=f"Per outcome: {_REASON_HELP}.")
    parole_until: dt.date | None = Field(
        default=None, description="Required for 'paroled' (the end date); empty otherwise.")
    supersedes: int | None = Field(
        default=None, ge=1,
        description="To correct a recorded outcome, the id of the one being replaced.")
    note: str | None = Field(default=None, max_length=500)


class OutcomeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    offer_id: int
    person_id: int
    port: str
    revision: int
    supersedes_id: int | None
    outcome: str
    reason: str
    parole_until: dt.date | None
    note: str | None
    officer_id: int
    at: dt.datetime


class Document(BaseModel):
    type: str
    number: str
    country: str


class Member(BaseModel):
    person_id: int
    position: int
    given_names: str
    family_names: str
    date_of_birth: dt.date
    nationality: str
    sex: str = Field(default="", description="As registered: F, M or X.")
    documents: list[Document] = Field(default_factory=list,
                                      description="Identity documents declared at registration.")
    photo: bool = Field(default=False, description="A photo was taken at confirmation: "
                                                   "GET /ports/{port}/photos/{offer_id}/{person_id}.")
    outcome: OutcomeOut | None = None


class Arrival(BaseModel):
    """One expected group: who, when, where it stands, and what integrity has on it."""

    offer_id: int
    registration_id: int
    slot: LocalTime
    persons: int
    status: Literal["confirmed", "checked_in", "attended", "no_show"]
    checkin: CheckInOut | None = None
    members: list[Member]
    alerts: list[AlertOut] = Field(
        default_factory=list, description="Open and confirmed alerts, whichever port raised them.")


class Arrivals(BaseModel):
    port: str
    date: dt.date
    closed: bool
    groups: list[Arrival]


class DayClosed(BaseModel):
    port: str
    date: dt.date
    closed_at: dt.datetime
    closed_by: str
    no_shows: int
    no_show_persons: int


class DaySummary(BaseModel):
    port: str
    date: dt.date
    closed: bool
    groups_by_status: dict[str, int]
    persons_by_status: dict[str, int]
    checkins_by_timing: dict[str, int]
    outcomes: dict[str, int] = Field(description="Current outcome per person, counted by code.")
    awaiting_outcome: int = Field(description="Checked-in persons with no outcome yet.")
