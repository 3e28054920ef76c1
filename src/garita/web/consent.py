"""The consent box an NGO ticks before acting for a person (shown only to NGOs)."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData

from garita.identity import Principal, Role
from garita.web.templates import gettext_for


def missing(request: Request, who: Principal, form: FormData) -> str | None:
    """The message to show when an NGO did not tick the consent box; None when fine."""
    if who.role is Role.ngo and form.get("consent") != "yes":
        _ = gettext_for(request)
        return _("Tick this box: the person must agree first.")
    return None
