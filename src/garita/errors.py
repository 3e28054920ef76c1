"""Domain errors that carry their HTTP status; mapped once in ``create_app``.

Each message says what to fix. Services raise these; views never build error
responses by hand. Responses are RFC 9457 ``application/problem+json``.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def headers(self) -> dict[str, str]:
        """HTTP headers the status calls for (RFC 9110): none by default."""
        return {}


class Invalid(DomainError):
    status = 422
    title = "Invalid input"


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Unauthorized(DomainError):
    status = 401
    title = "Not signed in"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="garita"'}


class Forbidden(DomainError):
    status = 403
    title = "Not allowed"


class TooMany(DomainError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int = 60, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.retry_after = max(1, int(retry_after))

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class Refused(DomainError):
    """A valid request the rules do not allow now (window closed, ineligible place...)."""

    status = 422
    title = "Refused by the rules in force"


class Unavailable(DomainError):
    """The server cannot do this now for a reason of its own (a key not configured):
    the caller did nothing wrong and should try again later; the log says what to fix."""

    status = 503
    title = "Temporarily unavailable"

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "300"}

