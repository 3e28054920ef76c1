"""Help requests, reports and assistance on the wire."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from garita.offers.schemas import ConfirmIn
from garita.text import Text

Kind = Literal["help", "report", "assistance"]
Need = Literal["photo", "phone", "both"]


class HelpIn(BaseModel):
    """A question (``help``), a report of someone selling appointments or fake notices
    (``report``: also an integrity alert) or a request for assistance (``assistance``:
    ``need`` says what the person cannot do unaided)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    kind: Kind = "help"
    message: Text = Field(min_length=3, max_length=2000)
    registration_id: int | None = Field(default=None, description="The registration it is "
                                        "about (yours), if any.")
    share: bool = Field(default=False, description="Consent: the helper may read that "
                                                   "registration to answer.")
    page: str | None = Field(default=None, max_length=200, description="The page asked from.")
    need: Need | None = None
    notice_number: str | None = Field(default=None, max_length=20, description="A report of a "
                                      "notice sold or forged: the number printed on it.")


class HelpOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    registration_id: int | None
    share: bool
    page: str | None
    message: str
    status: str
    answer: str | None
    answered_by: str | None
    helper_id: int | None
    created_at: dt.datetime
    answered_at: dt.datetime | None


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    answer: Text = Field(min_length=2, max_length=4000)


class HandBackIn(BaseModel):
    """An NGO hands a registration it keeps for a person to the person's own account."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    email: EmailStr = Field(description="The person's own applicant account.")
    consent: bool = Field(description="The person agreed to take the registration over.")


class AssistedConfirmIn(ConfirmIn):
    """A member confirms with the NGO that took their assistance request."""

    consent: bool = Field(description="The person is present and agrees.")
