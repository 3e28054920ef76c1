"""Rate limits on login and daily requests, using the ``limits`` library.

Storage is a URI from settings: ``memory://`` for one process (the demo),
``redis://...`` so every API replica shares one count.
"""

from __future__ import annotations

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from garita.errors import TooMany


class RateLimits:
    def __init__(self, storage_uri: str, login: str, request: str,
                 notice_check: str = "20/minute", notice_verify: str = "600/minute") -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._login = parse(login)
        self._request = parse(request)
        self._notice_check = parse(notice_check)
        self._notice_verify = parse(notice_verify)

    def _hit(self, item, *keys: str, what: str) -> None:  # noqa: ANN001 - limits item
        if not self._limiter.hit(item, *keys):
            raise TooMany(f"Too many {what}; wait a minute and try again "
                          f"(limit {item}).")

    def login(self, email: str, client: str) -> None:
        self._hit(self._login, "login", email.lower(), client, what="login attempts")

    def request(self, account_id: int) -> None:
        self._hit(self._request, "request", str(account_id), what="appointment requests")

    def notice_check(self, client: str) -> None:
        self._hit(self._notice_check, "notice-check", client, what="notice checks")

    def notice_verify(self, client: str) -> None:
        self._hit(self._notice_verify, "notice-verify", client, what="notice verifications")
