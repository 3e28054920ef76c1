"""Draw and status payloads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from garita.offers.schemas import OfferOut
from garita.requests.schemas import RequestOut


class DrawOut(BaseModel):
    service_date: dt.date
    policy_version_id: int
    seed: str
    seed_sha256: str
    ran_at: AwareDatetime
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


class CommitmentOut(BaseModel):
    """A day's seed commitment: its hash before the draw, the seed itself after."""

    service_date: dt.date
    seed_sha256: str = Field(description="SHA-256 of the seed, hex; public before the window "
                                         "closes when committed in advance.")
    committed_at: AwareDatetime
    window_closes_at: AwareDatetime
    committed_in_advance: bool
    revealed_at: AwareDatetime | None = None
    seed: str | None = Field(default=None, description="Hex; null until the draw ran.")


class RateRow(BaseModel):
    value: str | None
    requests: int
    selected: int
    rate: float


class FairnessTest(BaseModel):
    attribute: str
    port: str | None
    chi2: float
    dof: int
    p_value: float
    p_adjusted: float
    flagged: bool


class FairnessReport(BaseModel):
    """Selection rates in the random tier and chi-square tests (Holm-corrected)."""

    model_config = ConfigDict(populate_by_name=True)

    tier: Literal["random"]
    alpha: float
    correction: str
    draws: int
    pool: int
    selected: int
    notes: dict[str, str]
    rates: dict[str, list[RateRow]]
    tests: list[FairnessTest]
    flagged: list[str]
    start: dt.date = Field(alias="from", serialization_alias="from")
    end: dt.date = Field(alias="to", serialization_alias="to")


class PublicationManifest(BaseModel):
    """publication.json: everything needed to rerun the draw besides the two CSV files."""

    format: str
    rule: str
    service_date: dt.date
    seed: str
    seed_sha256: str
    committed_at: AwareDatetime | None
    committed_in_advance: bool
    ran_at: AwareDatetime
    policy_version_id: int
    longest_waiting_share: str
    timezone: str
    ports: list[str]
    bins: dict[str, list[list[str | int]]] = Field(
        description="Port → [day, slot, free places(, \"spare\")] of every bin drawn.")
    inputs_sha256: str
    result_digest: str
    requests: int
    winners: int
    set_aside: list[list[int]] | None = Field(
        default=None, description="[ticket, ticket of the earlier entry of the same person]: "
        "requests left out because one person enters a day's draw once (earliest stands).")
    road_times: list[tuple[str, str, float]] | None = Field(
        default=None, description="[from, to, hours] of the operator's road table the "
        "earliest_day column was computed on, as recorded when the draw ran (empty: "
        "estimated times); absent for draws without a corridor or made before it was kept.")
    road_times_sha256: str | None = Field(
        default=None, description="SHA-256 of road_times as compact JSON "
        "(draw/publication.py specifies it).")
