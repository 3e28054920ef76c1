"""Pure rules of delivery: when to try again, which failures are worth another try."""

from __future__ import annotations

import datetime as dt
from typing import Any

MAX_DELAY = dt.timedelta(hours=6)


def retry_delay(attempts: int, first: dt.timedelta) -> dt.timedelta:
    """Exponential backoff: ``first`` after the first failure, doubling after each next
    one, never more than six hours (a provider down for a day is tried four times an
    hour at most, not hammered).

    >>> retry_delay(1, dt.timedelta(seconds=60)), retry_delay(3, dt.timedelta(seconds=60))
    (datetime.timedelta(seconds=60), datetime.timedelta(seconds=240))
    """
    if attempts < 1:
        raise ValueError("attempts counts failures so far: at least 1")
    exponent = min(attempts - 1, 32)  # 2**32 minutes is far past the cap already
    return min(first * (2 ** exponent), MAX_DELAY)


def next_state(attempts: int, max_attempts: int, permanent: bool) -> str:
    """After a failed attempt: ``failed`` when it cannot succeed (a refused address) or
    the attempts are spent, else ``pending`` for another try."""
    return "failed" if permanent or attempts >= max_attempts else "pending"


REMOVED = "[removed after delivery]"


def without_secrets(subject: str, body: str, params: dict[str, Any],
                    secrets: tuple[str, ...]) -> tuple[str, str, dict[str, Any]]:
    """The row's subject, body and parameters with each secret value (a code, a token's
    link) replaced by ``REMOVED``: once a message is delivered or given up, a copy of a
    credential in the outbox only helps someone who reads the database."""
    params = dict(params)
    for name in secrets:
        value = str(params.get(name) or "")
        if value:
            subject, body = subject.replace(value, REMOVED), body.replace(value, REMOVED)
            params[name] = REMOVED
    return subject, body, params
