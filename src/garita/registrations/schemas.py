"""Advance information as typed input, with messages that say what to fix."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

import phonenumbers
import pycountry
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from garita.geo.schemas import country_code
from garita.text import Text

LANGUAGES = ("en", "es", "ht", "pt", "ru")
US_STATES = {s.code.split("-")[1] for s in pycountry.subdivisions.get(country_code="US")}


class Address(BaseModel):
    """A U.S. destination address."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    street: Text = Field(min_length=3, max_length=200, examples=["1234 Main St"])
    unit: Text | None = Field(default=None, max_length=40, examples=["Apt 2"])
    city: Text = Field(min_length=2, max_length=100)
    state: str = Field(min_length=2, max_length=2, description="Two-letter U.S. state code.")
    zip: str = Field(description="5-digit ZIP or ZIP+4.")

    @field_validator("state")
    @classmethod
    def _state(cls, v: str) -> str:
        if v.upper() not in US_STATES:
            raise ValueError(f"'{v}' is not a U.S. state code (e.g. CA, TX, NY)")
        return v.upper()

    @field_validator("zip")
    @classmethod
    def _zip(cls, v: str) -> str:
        if not re.fullmatch(r"\d{5}(-\d{4})?", v):
            raise ValueError("ZIP code must be 5 digits, or 5+4 digits like 90210-1234")
        return v


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    type: Literal["passport", "national_id", "birth_certificate", "other"]
    number: Text = Field(min_length=2, max_length=40)
    country: str

    _country = field_validator("country")(classmethod(lambda cls, v: country_code(v)))


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    given_names: Text = Field(min_length=1, max_length=120)
    family_names: Text = Field(min_length=1, max_length=120)
    date_of_birth: dt.date
    country_of_birth: str = Field(description="ISO 3166-1 alpha-3, e.g. VEN.")
    nationality: str = Field(description="ISO 3166-1 alpha-3, e.g. VEN.")
    sex: Literal["F", "M", "X"]
    documents: list[Document] = Field(default_factory=list, max_length=5)
    photo_sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the stored photograph."
    )
    us_address: Address | None = Field(
        default=None, description="Only if this member's U.S. address differs from the group's."
    )

    _codes = field_validator("country_of_birth", "nationality")(
        classmethod(lambda cls, v: country_code(v))
    )

    @field_validator("date_of_birth")
    @classmethod
    def _born(cls, v: dt.date) -> dt.date:
        if v > dt.date.today():
            raise ValueError("date of birth is in the future")
        if v.year < dt.date.today().year - 120:
            raise ValueError("date of birth is more than 120 years ago")
        return v


class RegistrationIn(BaseModel):
    """An individual (no members) or a group: the lead plus members."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    language: Literal["en", "es", "ht", "pt", "ru"] = "es"
    phone: str = Field(description="International format, e.g. +52 55 1234 5678.")
    email: EmailStr | None = None
    us_address: Address
    lead: PersonIn
    members: list[PersonIn] = Field(default_factory=list)

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        try:
            number = phonenumbers.parse(v, None)
        except phonenumbers.NumberParseException as exc:
            raise ValueError("phone must be in international format starting with + and the "
                             "country code, e.g. +52 55 1234 5678") from exc
        if not phonenumbers.is_valid_number(number):
            raise ValueError("phone number is not a valid number for its country code")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class RegistrationPatch(BaseModel):
    """Fields an applicant may change after registering (each change is audited and the
    registration screened again); ``reason``, when given, is kept with the change."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: Text | None = Field(default=None, min_length=3, max_length=300,
                                examples=["new phone number"],
                                description="Why (kept with the change, in the owner's data "
                                            "export); the pages always ask it.")
    language: Literal["en", "es", "ht", "pt", "ru"] | None = None
    phone: str | None = None
    email: EmailStr | None = None
    us_address: Address | None = None

    _phone = field_validator("phone")(RegistrationIn._phone.__func__)  # type: ignore[attr-defined]


class RegistrationCorrection(RegistrationPatch):
    """A change of the registration's own fields with its reason (the corrections page)."""

    reason: Text = Field(min_length=3, max_length=300, examples=["new phone number"])


class PersonCorrection(BaseModel):
    """Fields of one person to correct, and why (the reason is kept in the audit log)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: Text = Field(min_length=3, max_length=300, examples=["typo in the family name"])
    given_names: Text | None = Field(default=None, min_length=1, max_length=120)
    family_names: Text | None = Field(default=None, min_length=1, max_length=120)
    date_of_birth: dt.date | None = None
    country_of_birth: str | None = None
    nationality: str | None = None
    sex: Literal["F", "M", "X"] | None = None
    documents: list[Document] | None = Field(default=None, max_length=5)
    photo_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    _codes = field_validator("country_of_birth", "nationality")(
        classmethod(lambda cls, v: v if v is None else country_code(v)))
    _born = field_validator("date_of_birth")(
        classmethod(lambda cls, v: v if v is None else PersonIn._born.__func__(cls, v)))  # type: ignore[attr-defined]


class MemberIn(PersonIn):
    """A member to add, and why (a newborn, a child joining)."""

    reason: Text = Field(min_length=3, max_length=300, examples=["newborn"])


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: Text = Field(min_length=3, max_length=300, examples=["separated from the group"])


class PersonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    position: int
    given_names: str
    family_names: str
    date_of_birth: dt.date
    nationality: str
    sex: str


class RegistrationOut(BaseModel):
    id: int
    registered_at: dt.datetime
    language: str
    phone: str
    email: str | None
    group_size: int
    us_address: Address
    people: list[PersonOut]


class RegistrationPage(BaseModel):
    """One page of a list: ``total`` matching in all, this page's ``items``."""

    total: int = Field(description=(
        "Registrations matching the filters, on every page. With a ``name``, counted up to "
        "1,000: past that, 1000 with ``total_exact`` false (more than 1,000 match)."))
    total_exact: bool = Field(True, description=(
        "False when ``total`` is the name search's cap and more match: page on until a "
        "page comes back short."))
    limit: int
    offset: int
    items: list[RegistrationOut]
