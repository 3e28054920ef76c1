"""Data rights on the wire: deletion, the wait estimate, the retention run."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

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
