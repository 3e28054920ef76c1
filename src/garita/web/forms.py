"""Form posts: the CSRF check, and validation errors placed beside each field."""

from __future__ import annotations

import pycountry
from babel import Locale
from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import FormData

from garita.web import problems, session
from garita.web.templates import language


async def posted(request: Request) -> FormData:
    """The form of a POST whose CSRF token checks out (else 403, nothing done)."""
    form = await request.form()
    session.check_csrf(request, form)
    return form


def field_errors(request: Request, exc: ValidationError, prefix: str = "") -> dict[str, str]:
    """``{"lead.given_names": "This field is required.", ...}`` in the page's language;
    the keys are the form fields' names (the schema's paths, joined by dots)."""
    lang = language(request)
    out: dict[str, str] = {}
    for e in exc.errors():
        name = prefix + ".".join(str(p) for p in e["loc"])
        out.setdefault(name or "form", problems.field_error(e, lang))
    return out


def detail(request: Request, message: str) -> str:
    """A service's refusal, in the page's language."""
    return problems.translate(message, language(request))


def client(request: Request) -> str:
    return request.client.host if request.client else "-"


def countries(lang: str) -> list[tuple[str, str]]:
    """(alpha-3, name in the page's language) for the country pickers."""
    names = Locale.parse(lang).territories
    out = [(c.alpha_3, names.get(c.alpha_2, c.name)) for c in pycountry.countries]
    return sorted(out, key=lambda pair: pair[1])
