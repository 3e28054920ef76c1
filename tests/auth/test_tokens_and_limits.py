"""The hot route's cheap checks: cached token verification and the request limit."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest
import redis
from limits import parse

from garita.auth.core import TokenCache, issue_token
from garita.errors import TooMany
from garita.identity import Principal, Role
from garita.ratelimit import RateLimits, WindowCounter

KEY = "a-test-secret-key-that-is-long-enough-0123456789"
NOW = dt.datetime(2024, 9, 10, 12, 0, tzinfo=dt.UTC)


def test_cached_token_still_expires_on_the_callers_clock():
    who = Principal(account_id=7, role=Role.applicant)
    token = issue_token(who, KEY, 10, NOW)
    cache = TokenCache(KEY)
    assert cache.read(token, NOW) == who
    assert cache.read(token, NOW + dt.timedelta(minutes=9)) == who
    assert cache.read(token, NOW + dt.timedelta(minutes=10)) is None


def test_tampered_or_foreign_tokens_are_never_cached_as_valid():
    cache = TokenCache(KEY)
    good = issue_token(Principal(account_id=7, role=Role.applicant), KEY, 10, NOW)
    head, body, sig = good.split(".")
    forged = issue_token(Principal(account_id=8, role=Role.admin), "another key " * 4, 10, NOW)
    assert cache.read(f"{head}.{body}.{sig[:-2]}AA", NOW) is None
    assert cache.read(forged, NOW) is None
    assert cache.read("not a token", NOW) is None
    assert cache.read(good, NOW).account_id == 7


def test_token_cache_is_bounded():
    cache = TokenCache(KEY, size=3)
    tokens = [issue_token(Principal(account_id=i, role=Role.applicant), KEY, 10, NOW)
              for i in range(10)]
    assert [cache.read(t, NOW).account_id for t in tokens] == list(range(10))
    assert len(cache._known) <= 3


def test_window_counter_counts_per_key_and_starts_again_next_window():
    now = [1000.0]
    counter = WindowCounter(parse("3/minute"), clock=lambda: now[0])
    assert [counter.hit("a") for _ in range(4)] == [True, True, True, False]
    assert counter.hit("b")
    now[0] += 60
    assert counter.hit("a")


def _redis_up() -> bool:
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379 (.ci/run starts one)")
def test_redis_request_limit_is_shared_by_every_process():
    """Two RateLimits objects stand for two API workers: they share one count."""
    account = int(uuid.uuid4().int % 10**12)  # a key no earlier run used
    first, second = (RateLimits("redis://127.0.0.1:6379", "10/minute", "3/minute")
                     for _ in range(2))

    async def go() -> list[str]:
        out = []
        for limits in (first, second, first, second):
            try:
                await limits.request(account)
                out.append("ok")
            except TooMany:
                out.append("too many")
        return out

    assert asyncio.run(go()) == ["ok", "ok", "ok", "too many"]
