"""Group commit: requests in flight together share one statement, each gets its own answer.

Driven in one event loop, so every request below is queued before the writer's
first statement goes out: one statement carries a created request, its duplicate,
a request for another port, someone else's registration, a place outside Mexico
and an id that does not exist, and each caller gets what the rules say.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from fastapi.testclient import TestClient

from garita.app import create_app
from garita.audit import service as audit
from garita.auth.core import TokenCache
from garita.db import open_async_pool
from garita.errors import Conflict, NotFound, Refused
from garita.requests import postgres as intake_pg
from garita.requests.batch import IntakeWriter
from garita.requests.schemas import RequestIn
from kit import TIJUANA, applicant, ask, empty_database, register, settings_for

DAY = dt.date(2024, 9, 10)
SAN_DIEGO = (32.7157, -117.1611)


@pytest.fixture
def app(pg_database, clock):
    empty_database(pg_database)
    application = create_app(settings_for(pg_database), clock=clock)
    yield application
    application.state.engine.dispose()


def _who(app, headers: dict):
    token = headers["Authorization"].split()[1]
    return TokenCache(app.state.settings.secret_key.get_secret_value()).read(
        token, app.state.clock())


def _gather(pg_database: str, app, who, requests: list[tuple[int, tuple, str]]
            ) -> tuple[list, IntakeWriter]:
    """Run ``(registration, place, port)`` requests at once through a fresh writer."""
    cache, locator = app.state.policy_cache, app.state.locator
    now = app.state.clock().astimezone(dt.UTC)

    async def go() -> tuple[list, IntakeWriter]:
        pool = await open_async_pool(pg_database, 4)
        writer = IntakeWriter(pool)
        try:
            await intake_pg._reload(pool, cache)
            calls = [intake_pg.request(writer, pool, cache, who, reg,
                                       RequestIn(port=port, lat=where[0], lon=where[1]),
                                       now, locator) for reg, where, port in requests]
            return await asyncio.gather(*calls, return_exceptions=True), writer
        finally:
            await pool.close()

    return asyncio.run(go())


def test_one_statement_answers_every_request_in_it(app, pg_database, clock):
    clock.set_et(DAY, 13)
    with TestClient(app) as c:
        me, other = applicant(c), applicant(c)
        a, b, d = (register(c, me)["id"] for _ in range(3))
        theirs = register(c, other)["id"]
        assert ask(c, me, b, TIJUANA, port="SYS").status_code == 201  # b asked already
    outcomes, writer = _gather(pg_database, app, _who(app, me), [
        (a, TIJUANA, "SYS"), (a, TIJUANA, "SYS"), (b, TIJUANA, "ELP"), (theirs, TIJUANA, "SYS"),
        (d, SAN_DIEGO, "SYS"), (10**9, TIJUANA, "SYS")])
    first, twin, other_port, not_mine, abroad, missing = outcomes
    assert writer.statements == 1 and writer.items == 6
    assert first[1] is True and first[0].registration_id == a and first[0].zone
    assert twin[1] is False and twin[0].id == first[0].id  # the same record, not a second
    assert isinstance(other_port, Conflict) and "SYS" in other_port.detail
    assert isinstance(not_mine, NotFound) and isinstance(missing, NotFound)
    assert isinstance(abroad, Refused) and "outside Mexico" in abroad.detail
    with app.state.sessions() as s:
        assert audit.verify(s)[1] == []


def test_a_bad_item_fails_alone(app, pg_database, clock):
    """A batch the database refuses is sent again item by item: the good ones land."""
    clock.set_et(DAY, 13)
    with TestClient(app) as c:
        me = applicant(c)
        regs = [register(c, me)["id"] for _ in range(3)]
    (one, bad, two, three), writer = _gather(pg_database, app, _who(app, me), [
        (regs[0], TIJUANA, "SYS"), (2**70, TIJUANA, "SYS"),  # 2**70: not a bigint
        (regs[1], TIJUANA, "SYS"), (regs[2], TIJUANA, "SYS")])
    assert isinstance(bad, Exception)
    assert all(out[1] is True for out in (one, two, three)), (one, two, three)
    assert writer.statements == 1 + 4  # the batch, then each item alone
