"""Cookie sessions and CSRF protection for the pages.

The session cookie holds the same signed, expiring token the API issues
(``garita.auth.core.issue_token``), so pages and API share one notion of who is
calling and one set of role checks. It is HttpOnly (no script reads it),
SameSite=Lax (not sent on cross-site form posts) and Secure whenever the
request came over TLS (``X-Forwarded-Proto`` from a trusted proxy included, as
uvicorn reports it).

CSRF: a random nonce in its own cookie, and in every form an HMAC of that
nonce under the server's secret (the "signed double-submit cookie" of OWASP's
cheat sheet). A cross-site page can neither read the cookie nor forge the HMAC.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response

from garita.errors import Forbidden
from garita.identity import Principal

COOKIE = "garita_session"
CSRF_COOKIE = "garita_csrf"


class SignInFirst(Exception):
    """A page needs a signed-in person: the app answers with a redirect to sign-in."""


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def who(request: Request) -> Principal | None:
    """The signed-in person, or None (no cookie, a bad or expired token)."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    return request.app.state.tokens.read(token, request.app.state.clock())


class EnrolFirst(Exception):
    """A staff session that must turn on two-factor sign-in before anything else."""


def signed_in(request: Request) -> Principal:
    person = who(request)
    if person is None:
        raise SignInFirst()
    if not person.full:
        raise EnrolFirst()
    return person


def any_session(request: Request) -> Principal:
    """Signed in, even if only to enrol in two-factor sign-in."""
    person = who(request)
    if person is None:
        raise SignInFirst()
    return person


def start(request: Request, response: Response, token: str, seconds: int) -> None:
    response.set_cookie(COOKIE, token, max_age=seconds, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    # A new session gets a new CSRF nonce (no fixation across a sign-in).
    _set_nonce(request, response, secrets.token_urlsafe(24))


def replace(request: Request, response: Response, token: str, seconds: int) -> None:
    """The same person's session continues under a new token (two-factor turned on): the
    CSRF nonce stays, so the forms of the page being sent still work."""
    response.set_cookie(COOKIE, token, max_age=seconds, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")


def end(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax",
                           secure=_secure(request))
    response.delete_cookie(CSRF_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=_secure(request))


def _sign(request: Request, nonce: str) -> str:
    key = request.app.state.settings.secret_key.get_secret_value().encode()
    return hmac.new(key, b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()


def _nonce(request: Request) -> str:
    nonce = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf_nonce", None)
    if not nonce:
        nonce = request.state.csrf_nonce = secrets.token_urlsafe(24)
    return nonce


def _set_nonce(request: Request, response: Response, nonce: str) -> None:
    response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")


def csrf_token(request: Request) -> str:
    return _sign(request, _nonce(request))


def keep_csrf_cookie(request: Request, response: Response) -> None:
    """Send the nonce cookie when this request made it (the first page a browser sees)."""
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce and not request.cookies.get(CSRF_COOKIE):
        _set_nonce(request, response, nonce)


def check_csrf(request: Request, form) -> None:
    """Every form post: the token must be the HMAC of this browser's nonce."""
    nonce = request.cookies.get(CSRF_COOKIE)
    given = str(form.get("csrf", ""))
    if not nonce or not hmac.compare_digest(given, _sign(request, nonce)):
        raise Forbidden("The form expired or did not come from this site; reload the page "
                        "and send it again.")


Visitor = Annotated[Principal, Depends(signed_in)]
Enrolling = Annotated[Principal, Depends(any_session)]
