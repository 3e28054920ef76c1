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
from garita.scheduling import intake_pg
from garita.scheduling.intake_batch import IntakeWriter
from garita.scheduling.schemas import RequestIn
from kit import TIJUANA, applicant, ask, empty_database, register, settings_for

DAY = dt.date(2024, 9, 10)
SAN_DIEGO = (32.7157, -117.1611)


@pytest.fixture
def app(pg_database, clock):  # noqa: ANN001, ANN201
    empty_database(pg_database)
    application = create_app(settings_for(pg_database), clock=clock)
    yield application
    application.state.engine.dispose()


def _who(app, headers: dict):  # noqa: ANN001, ANN202
    token = headers["Authorization"].split()[1]
    return TokenCache(app.state.settings.secret_key.get_secret_value()).read(
        token, app.state.clock())


def test_one_statement_answers_every_request_in_it(app, pg_database, clock):
    clock.set_et(DAY, 13)
    with TestClient(app) as c:
        me, other = applicant(c), applicant(c)
        a, b, d = (register(c, me)["id"] for _ in range(3))
        theirs = register(c, other)["id"]
        assert ask(c, me, b, TIJUANA, port="SYS").status_code == 201  # b asked already
    who, now = _who(app, me), app.state.clock().astimezone(dt.UTC)
    cache, locator = app.state.policy_cache, app.state.locator

    async def go() -> tuple[list, IntakeWriter]:
        pool = await open_async_pool(pg_database, 4)
        writer = IntakeWriter(pool)
        try:
            await intake_pg._reload(pool, cache)

            def call(reg: int, where: tuple[float, float], port: str = "SYS"):  # noqa: ANN202
                data = RequestIn(port=port, lat=where[0], lon=where[1])
                return intake_pg.request(writer, pool, cache, who, reg, data, now, locator)

            outcomes = await asyncio.gather(
                call(a, TIJUANA), call(a, TIJUANA), call(b, TIJUANA, port="ELP"),
                call(theirs, TIJUANA), call(d, SAN_DIEGO), call(10**9, TIJUANA),
                return_exceptions=True)
            return outcomes, writer
        finally:
            await pool.close()

    (first, twin, other_port, not_mine, abroad, missing), writer = asyncio.run(go())
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
    who, now = _who(app, me), app.state.clock().astimezone(dt.UTC)
    cache, locator = app.state.policy_cache, app.state.locator

    async def go() -> tuple[list, IntakeWriter]:
        pool = await open_async_pool(pg_database, 4)
        writer = IntakeWriter(pool)
        try:
            await intake_pg._reload(pool, cache)
            data = RequestIn(port="SYS", lat=TIJUANA[0], lon=TIJUANA[1])
            calls = [intake_pg.request(writer, pool, cache, who, reg, data, now, locator)
                     for reg in (regs[0], 2**70, regs[1], regs[2])]  # 2**70: not a bigint
            return await asyncio.gather(*calls, return_exceptions=True), writer
        finally:
            await pool.close()

    (one, bad, two, three), writer = asyncio.run(go())
    assert isinstance(bad, Exception)
    assert all(out[1] is True for out in (one, two, three)), (one, two, three)
    assert writer.statements == 1 + 4  # the batch, then each item alone
