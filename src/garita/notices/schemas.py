"""Notice payloads and the API's request and response bodies."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from garita.policy.ports import PORT_CODES
from garita.policy.schemas import LocalTime

Language = Literal["en", "es", "ht", "pt", "ru"]


class Member(BaseModel):
    """One person on the notice. Nationality and sex were added in 2026-12 so an officer
    can compare the person with the notice; notices issued before carry neither."""

    model_config = ConfigDict(frozen=True)
    given_names: str
    family_names: str
    date_of_birth: dt.date
    nationality: str | None = Field(default=None, description="ISO 3166-1 alpha-3 code.")
    sex: str | None = Field(default=None, description="As registered: F, M or X.")


class NoticePayload(BaseModel):
    """What the signed token says: enough to check a group at the port, nothing more."""

    model_config = ConfigDict(frozen=True)
    confirmation_number: str
    port: str = Field(description=f"One of {', '.join(PORT_CODES)}.")
    appointment_date: dt.date
    slot: LocalTime = Field(description="Time slot, local time at the port.")
    members: list[Member] = Field(description="Lead first, then the group.")
    issued_at: dt.datetime


class NoticeOut(BaseModel):
    offer_id: int
    confirmation_number: str
    kid: str
    token: str = Field(description="Put in the QR code; verify at POST /notices/verify.")
    language: Language
    issued_at: dt.datetime
    payload: NoticePayload


class VerifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=8000,
                       description="The text of the notice's QR code (GN2:…, or GN1.… for notices "
                                   "issued before the standard format).")


class LiveStatus(BaseModel):
    """What the register says now about the appointment a valid token names."""

    status: str = Field(description="confirmed, expired, lapsed, cancelled, checked_in … or "
                                    "not_issued when the register has no such notice.")
    still_valid: bool


class VerifyOut(BaseModel):
    valid: bool
    reason: Literal["ok", "malformed", "unknown_key", "bad_signature", "bad_payload"]
    message: str
    kid: str | None = None
    payload: NoticePayload | None = Field(default=None, description="Only for a valid token.")
    live: LiveStatus | None = Field(default=None, description="Only for a valid token.")


class CheckIn(BaseModel):
    """The privacy-preserving check: a confirmation number and one member's date of birth."""

    model_config = ConfigDict(extra="forbid")
    confirmation_number: str = Field(min_length=10, max_length=14,
                                     description="As printed, e.g. 7K3M9-QX2PA (case and "
                                                 "hyphens do not matter).")
    date_of_birth: dt.date = Field(description="Any listed member's date of birth, YYYY-MM-DD.")


class CheckOut(BaseModel):
    valid: bool = Field(description="True only if the appointment exists, is confirmed, is "
                                    "not past, and lists someone born on that date.")


class PublicKey(BaseModel):
    """A JWK (RFC 7517): OKP Ed25519 for QR tokens, EC P-256 with ``x5c`` for PDFs."""

    model_config = ConfigDict(extra="allow")

    kty: Literal["OKP", "EC"]
    crv: str
    alg: str
    use: str
    kid: str
    x: str
    y: str | None = None
    x5c: list[str] | None = None
    active: bool | None = None
    dev_only: bool | None = None


class KeySet(BaseModel):
    """The public key set, JWKS-shaped; old keys stay listed so old notices still verify."""

    keys: list[PublicKey]
