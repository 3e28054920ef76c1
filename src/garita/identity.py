"""Who is calling: the roles and the verified caller every route is checked against.

Infrastructure, below every feature: routes of the lowest features (policy, geo)
check roles too, so these types cannot live in ``auth`` (which issues and
verifies the tokens that carry them).
"""

from __future__ import annotations

import enum

from pydantic import BaseModel


class Role(enum.StrEnum):
    applicant = "applicant"
    ngo = "ngo"
    admin = "admin"
    officer = "officer"
    coordinator = "coordinator"
    analyst = "analyst"


PUBLIC_ROLES = (Role.applicant, Role.ngo)
STAFF_ROLES = (Role.admin, Role.officer, Role.coordinator, Role.analyst)


class Principal(BaseModel):
    """Who is calling, as read from a verified token."""

    account_id: int
    role: Role
    port: str | None = None
    sid: str | None = None  # the session this token belongs to (revocable: auth.sessions)
    full: bool = True  # False: a staff sign-in that may only enrol in two-factor

    @property
    def actor(self) -> str:
        return f"{self.role.value}:{self.account_id}"
