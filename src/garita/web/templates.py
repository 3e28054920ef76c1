"""The Jinja2 environment every feature's pages render through.

Autoescaping is on for every template; the language's ``gettext`` is passed in
each render (never installed globally: two requests in two languages may be
rendered at once).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones as _zones

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from garita.web import i18n, problems, session

TEMPLATES = Path(__file__).parent / "templates"
TZ_COOKIE = "garita_tz"
DEFAULT_ZONE = "America/Mexico_City"
available_timezones = cache(_zones)

env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                         autoescape=jinja2.select_autoescape(default=True),
                         trim_blocks=True, lstrip_blocks=True,
                         undefined=jinja2.StrictUndefined)


def language(request: Request) -> str:
    return i18n.negotiate(request.cookies, request.headers.get("accept-language"))


def gettext_for(request: Request):
    return i18n.translations(language(request)).gettext


def zone(request: Request) -> str:
    """The person's own time zone: what their browser said (``garita.js`` sets the
    cookie), else Mexico City's (the applicants are in Mexico)."""
    name = request.cookies.get(TZ_COOKIE, "")
    if name in available_timezones():
        return name
    return DEFAULT_ZONE


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page in the request's language, with the CSRF token its forms carry."""
    lang = language(request)
    tr = i18n.translations(lang)

    def gettext(message: str, **values: Any) -> str:
        text = tr.gettext(message)
        return text % values if values else text

    def ngettext(singular: str, plural: str, num: int, **values: Any) -> str:
        return tr.ngettext(singular, plural, num) % {"num": num, **values}

    csrf = session.csrf_token(request)
    tz = zone(request)
    body = env.get_template(name).render(
        request=request, lang=lang, languages=i18n.NAMES, _=gettext, gettext=gettext,
        ngettext=ngettext, csrf=csrf, who=session.who(request), tz=tz,
        now=request.app.state.clock(),
        fmt_datetime=lambda m, tz=tz: i18n.format_datetime(m, lang, tz),
        fmt_date=lambda d: i18n.format_date(d, lang),
        fmt_time=lambda t: i18n.format_time(t, lang),
        fmt_slot=lambda day, slot, port_tz: i18n.format_slot(day, slot, lang, port_tz),
        said=lambda english: problems.translate(english, lang),  # a service's sentence
        **context)
    response = HTMLResponse(body, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    session.keep_csrf_cookie(request, response)
    return response
