"""Form posts: the CSRF check, and validation errors placed beside each field."""

from __future__ import annotations

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
