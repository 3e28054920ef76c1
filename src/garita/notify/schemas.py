"""The phone verification's API shapes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class PhoneOut(BaseModel):
    registration_id: int
    phone: str
    verified: bool = Field(description="Only a verified phone receives SMS and WhatsApp "
                                        "messages.")
    verified_at: dt.datetime | None = None


class CodeSent(BaseModel):
    status: str = "accepted"
    message: str = Field(description="Where the code went and how long it lasts.")


class PhoneCodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=6, max_length=10, description="The six digits of the SMS.")
