"""Rate limits on login, notice checks and daily requests, using the ``limits`` library.

Storage is a URI from settings: ``memory://`` for one process (the demo),
``redis://...`` so every API replica shares one count.

The daily-request limit sits on the hot route and is awaited there
(:meth:`RateLimits.request`): with Redis it goes through ``limits.aio`` and
``redis.asyncio``, so the event loop never blocks on a network call; in memory it
is a :class:`WindowCounter`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from limits import RateLimitItem, parse
from limits.aio.strategies import FixedWindowRateLimiter as AsyncFixedWindow
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from garita.errors import TooMany


class WindowCounter:
    """Fixed-window counts in this process, for the hot route's memory storage.

    Why not ``limits``' own MemoryStorage here: it rescans every key from a timer
    thread every 10 ms while hits arrive, and the request limit has one key per
    account (tens of thousands within a minute at full load); that scan cost ~9 %
    of the route's CPU with only 1,000 keys (py-spy, docs/benchmarks.md). A window's
    counts here are one dict, dropped whole when the next window starts: O(1) per
    hit and nothing running in the background.
    """

    def __init__(self, item: RateLimitItem, clock: Callable[[], float] = time.monotonic) -> None:
        self.amount, self.seconds = item.amount, item.get_expiry()
        self._clock = clock
        self._window = -1
        self._counts: dict[str, int] = {}

    def hit(self, key: str) -> bool:
        window = int(self._clock() // self.seconds)
        if window != self._window:
            self._window, self._counts = window, {}
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        return count <= self.amount


class RateLimits:
    """Every limit of the service. Abuse comes from one account, one address or many of
    both, so the routes that guard secrets (sign-in, sign-up, the date-of-birth check)
    are limited three ways: per account or target, per client address, and globally."""

    def __init__(self, storage_uri: str, login: str, request: str,
                 notice_check: str = "20/minute", notice_verify: str = "600/minute",
                 login_client: str = "30/minute", login_global: str = "600/minute",
                 signup_client: str = "5/minute", signup_global: str = "120/minute",
                 notice_check_number: str = "5/hour",
                 notice_check_global: str = "300/minute") -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._login = parse(login)
        self._login_client, self._login_global = parse(login_client), parse(login_global)
        self._signup_client, self._signup_global = parse(signup_client), parse(signup_global)
        self._check_number = parse(notice_check_number)
        self._check_global = parse(notice_check_global)
        self._request = parse(request)
        self._notice_check = parse(notice_check)
        self._notice_verify = parse(notice_verify)
        self._requests_local = WindowCounter(self._request)
        self._requests_shared = None
        if not storage_uri.startswith("memory://"):
            storage = storage_from_string(f"async+{storage_uri}", implementation="redispy")
            self._requests_shared = AsyncFixedWindow(storage)

    def _hit(self, item: RateLimitItem, *keys: str, what: str) -> None:
        if not self._limiter.hit(item, *keys):
            reset = self._limiter.get_window_stats(item, *keys).reset_time
            raise TooMany(f"Too many {what}; wait and try again (limit {item}).",
                          retry_after=int(reset - time.time()) + 1)

    def login(self, email: str, client: str) -> None:
        """Per account (whatever the address), per address (whatever the account), in all."""
        self._hit(self._login_global, "login-all", what="sign-in attempts on this service")
        self._hit(self._login_client, "login-client", client, what="sign-in attempts from here")
        self._hit(self._login, "login", email.lower(), what="sign-in attempts for this account")

    def signup(self, client: str) -> None:
        self._hit(self._signup_global, "signup-all", what="sign-ups on this service")
        self._hit(self._signup_client, "signup-client", client, what="sign-ups from here")

    async def request(self, account_id: int) -> None:
        """One daily-request call by an account (a fixed window: cheap on the hot route)."""
        if self._requests_shared is not None:
            allowed = await self._requests_shared.hit(self._request, "request", str(account_id))
        else:
            allowed = self._requests_local.hit(str(account_id))
        if not allowed:
            raise TooMany(f"Too many appointment requests; wait a minute and try again "
                          f"(limit {self._request}).")

    def notice_check(self, client: str, number: str) -> None:
        """Per address, per confirmation number (a date-of-birth search on one notice is
        bounded whatever the address), and in all."""
        self._hit(self._check_global, "notice-check-all", what="notice checks on this service")
        self._hit(self._notice_check, "notice-check", client, what="notice checks from here")
        self._hit(self._check_number, "notice-check-number", number,
                  what="checks of this confirmation number")

    def notice_verify(self, client: str) -> None:
        self._hit(self._notice_verify, "notice-verify", client, what="notice verifications")
