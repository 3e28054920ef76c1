"""Roles and the account payloads."""

from __future__ import annotations

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
    message: str = ("If this email can be used, the account is ready: sign in at /auth/token. "
                    "If it already had an account, sign in with that account's password.")


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
