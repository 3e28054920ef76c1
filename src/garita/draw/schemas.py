"""Draw and status payloads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from garita.offers.schemas import OfferOut
from garita.requests.schemas import RequestOut


class DrawOut(BaseModel):
    service_date: dt.date
    policy_version_id: int
    seed: str
    seed_sha256: str
    ran_at: dt.datetime
    result_digest: str
    summary: dict
    committed_in_advance: bool = Field(
        default=False, description="True if the seed's SHA-256 was public before the window closed.")


class Status(BaseModel):
    """Where a registration stands today, and what to do next."""

    registration_id: int
    stage: Literal["can_request", "requested", "not_selected", "offered", "confirmed",
                   "no_show", "attended",
                   "lapsed", "declined", "cancelled", "closed"]
    message: str
    request: RequestOut | None = None
    offer: OfferOut | None = None
    awaiting_confirmation: list[int] = Field(
        default_factory=list, description="Person ids who still have to confirm."
    )
