"""The staff consoles' shared rules: which console is whose, and "this page needs role X".

Staff sign in through the same ``/signin`` page (session cookie and CSRF as every
page); each console page names the roles it serves with ``needs(...)``. A signed-in
person of another role gets the 403 page (the same sentence as the API's role
check, translated); nobody signed in is sent to sign in first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends

from garita.errors import Forbidden
from garita.identity import STAFF_ROLES, Principal, Role
from garita.web import session

# Each role's console (the landing page /staff sends them there). The port officer's
# console is /staff/port (one port: the officer's own; ``ports.service.authorise``
# holds "never another port's day" for pages as for the API).
CONSOLES: dict[Role, str] = {Role.officer: "/staff/port", Role.coordinator: "/staff/corridor",
                             Role.analyst: "/staff/integrity", Role.admin: "/staff/admin"}

def is_staff(who: Principal | None) -> bool:
    return who is not None and who.role in STAFF_ROLES


def needs(*roles: Role) -> Callable[[Principal], Principal]:
    """A page dependency: the signed-in person, if their role is one of ``roles``."""
    def check(who: session.Visitor) -> Principal:
        if who.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise Forbidden(f"This needs one of the roles: {allowed}; you are {who.role.value}.")
        return who
    return check


Coordinator = Annotated[Principal, Depends(needs(Role.coordinator, Role.admin))]
Analyst = Annotated[Principal, Depends(needs(Role.analyst, Role.admin))]
Officer = Annotated[Principal, Depends(needs(Role.officer, Role.admin))]
Admin = Annotated[Principal, Depends(needs(Role.admin))]
Staff = Annotated[Principal, Depends(needs(*STAFF_ROLES))]
