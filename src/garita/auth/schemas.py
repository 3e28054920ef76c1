"""Roles and the account payloads."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from garita.identity import Role


class SignUp(BaseModel):
    """Applicants and NGOs sign up themselves; staff accounts are made by an admin."""

    model_config = ConfigDict(extra="forbid")
    email: EmailStr
    password: str = Field(min_length=10, max_length=200, description="At least 10 characters.")
    role: Role = Role.applicant


class SignUpOut(BaseModel):
    """The same answer for a new email and for one that already has an account."""

    status: str = "accepted"
    message: str = ("Check your email: a new account gets a code to confirm the address "
                    "(POST /auth/verify), then signs in at /auth/token. If the email already "
                    "had an account, its owner is told and can sign in or reset the password.")


class Accepted(BaseModel):
    """The same answer whatever the email (nobody learns who has an account)."""

    status: str = "accepted"
    message: str = "If this email has an account, a message is on its way."


class VerifyIn(BaseModel):
    """The link's token, or the email with the six-digit code typed by hand."""

    model_config = ConfigDict(extra="forbid")
    token: str | None = Field(default=None, max_length=100)
    email: EmailStr | None = None
    code: str | None = Field(default=None, max_length=12)


class EmailIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr


class ResetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=10, max_length=100, description="From the reset link.")
    password: str = Field(min_length=10, max_length=200, description="At least 10 characters.")


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=6, max_length=20,
                      description="The app's current code, or a recovery code.")


class TotpStart(BaseModel):
    secret: str = Field(description="Base32 secret to type into an authenticator app.")
    otpauth_uri: str = Field(description="The same as an otpauth:// link (or QR code).")


class RecoveryCodes(BaseModel):
    recovery_codes: list[str] = Field(description="Each works once instead of a code; shown "
                                                  "only now: keep them somewhere safe.")


class SessionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    created_at: dt.datetime
    expires_at: dt.datetime
    client: str
    current: bool = False


class Revoked(BaseModel):
    revoked: int


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr
    password: str = Field(min_length=10, max_length=200)
    role: Role
    port: str | None = Field(default=None, description="Officers: the port they work at.")


class RoleChange(BaseModel):
    """A staff account's new role; officers name their port."""

    model_config = ConfigDict(extra="forbid")
    role: Literal[Role.admin, Role.officer, Role.coordinator, Role.analyst]
    port: str | None = Field(default=None, description="Officers: the port they work at.")


class AccountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    email: str
    role: Role
    port: str | None = None


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeOut(BaseModel):
    """Who the token says is calling."""

    account_id: int
    role: Role
    port: str | None = None
