"""What the API routes and the pages share at the edge: links from settings, the
message language, and opening a session with its token."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from sqlalchemy.orm import Session

from garita.auth import sessions
from garita.auth.core import issue_token
from garita.auth.service import Links
from garita.identity import Principal
from garita.web import i18n


def links(request: Request) -> Links:
    settings = request.app.state.settings
    return Links(settings.public_url, settings.verify_minutes, settings.reset_minutes)


def language(request: Request) -> str:
    """Messages go out in the language the person is using (page choice, else the browser)."""
    return i18n.negotiate(request.cookies, request.headers.get("accept-language"))


def open_session(request: Request, s: Session, who: Principal, now: dt.datetime) -> str:
    """A new server-side session and the signed token naming it."""
    settings = request.app.state.settings
    client = request.headers.get("user-agent", "")
    who = sessions.start(s, who, now, settings.token_minutes, client, full=who.full)
    return issue_token(who, settings.secret_key.get_secret_value(), settings.token_minutes, now)


def revoked(request: Request, sids: list[str]) -> None:
    """Refuse these sessions' tokens in this process at once (others reload shortly)."""
    request.app.state.revocations.add(*sids)
