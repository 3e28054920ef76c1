"""The daily request's rules are one table, held by both implementations of the route.

`garita.requests.core.decide` states the rules; the session path (SQLite, the demo,
the CLI) and the PostgreSQL path (one batched statement, `requests.batch`) gather
its facts. Every case below runs through the route on SQLite (session path) and
on PostgreSQL through *both* paths — the served app (its lifespan opens the
batched writer) and the same app without a lifespan (the session path) — and the
two PostgreSQL answers must be identical, word for word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from garita.app import create_app
from kit import (
    GUATEMALA_CITY,
    OAXACA,
    TAPACHULA,
    TIJUANA,
    Clock,
    applicant,
    ask,
    empty_database,
    register,
    settings_for,
    staff,
)

DAY = dt.date(2024, 9, 10)
Step = Callable[[TestClient, Clock], tuple[int, str]]


def _answer(r) -> tuple[int, str]:
    body = r.json()
    return r.status_code, body.get("detail", "") if r.status_code >= 400 else body["port"]


def created(c: TestClient, clock: Clock) -> tuple[int, str]:
    me = applicant(c)
    return _answer(ask(c, me, register(c, me)["id"], TIJUANA))


def same_again(c: TestClient, clock: Clock) -> tuple[int, str]:
    me = applicant(c)
    reg = register(c, me)["id"]
    ask(c, me, reg, TIJUANA)
    return _answer(ask(c, me, reg, TIJUANA))


def other_port(c: TestClient, clock: Clock) -> tuple[int, str]:
    me = applicant(c)
    reg = register(c, me)["id"]
    ask(c, me, reg, TIJUANA)
    return _answer(ask(c, me, reg, TIJUANA, port="BRO"))


def window_closed(c: TestClient, clock: Clock) -> tuple[int, str]:
    me = applicant(c)
    reg = register(c, me)["id"]
    clock.set_et(DAY, 10, 14)
    return _answer(ask(c, me, reg, TIJUANA))


def dead_zone(c: TestClient, clock: Clock) -> tuple[int, str]:
    me = applicant(c)
    return _answer(ask(c, me, register(c, me)["id"], OAXACA))


def abroad(c: TestClient, clock: Clock) -> tuple[int, str]:
    me = applicant(c)
    return _answer(ask(c, me, register(c, me)["id"], GUATEMALA_CITY))


def chiapas_after_expansion(c: TestClient, clock: Clock) -> tuple[int, str]:
    me = applicant(c)
    return _answer(ask(c, me, register(c, me)["id"], TAPACHULA))


def not_yours(c: TestClient, clock: Clock) -> tuple[int, str]:
    owner, other = applicant(c), applicant(c)
    return _answer(ask(c, other, register(c, owner)["id"], TIJUANA))


def missing(c: TestClient, clock: Clock) -> tuple[int, str]:
    return _answer(ask(c, applicant(c), 999_999, TIJUANA))


def holding(c: TestClient, clock: Clock) -> tuple[int, str]:
    me = applicant(c)
    reg = register(c, me)["id"]
    ask(c, me, reg, TIJUANA)
    clock.set_et(DAY + dt.timedelta(days=1), 12, 5)
    c.post(f"/draws/{DAY}", headers=staff(c))
    clock.set_et(DAY + dt.timedelta(days=1), 13)
    return _answer(ask(c, me, reg, TIJUANA))


# case → (status, a phrase of the answer): the rules' expected outcomes.
CASES: dict[Step, tuple[int, str]] = {
    created: (201, "SYS"),
    same_again: (200, "SYS"),
    other_port: (409, "one request per day"),
    window_closed: (422, "12:00"),
    dead_zone: (422, "Oaxaca"),
    abroad: (422, "outside Mexico"),
    chiapas_after_expansion: (201, "SYS"),
    not_yours: (404, "does not exist or is not yours"),
    missing: (404, "does not exist or is not yours"),
    holding: (422, "already holds an appointment"),
}


@pytest.mark.parametrize("case", list(CASES), ids=lambda f: f.__name__)
def test_each_rule_answers_as_stated(client, clock, case):
    status, phrase = case(client, clock)
    assert status == CASES[case][0], phrase
    assert CASES[case][1] in phrase, phrase


@pytest.mark.postgres
@pytest.mark.parametrize("case", list(CASES), ids=lambda f: f.__name__)
def test_batched_and_session_paths_answer_alike(pg_database, case):
    answers = []
    for served in (True, False):
        empty_database(pg_database)
        clock = Clock(dt.datetime(2024, 9, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4))))
        app = create_app(settings_for(pg_database), clock=clock)
        client = TestClient(app)
        if served:
            with client:  # the lifespan opens the batched writer: the PostgreSQL path
                assert app.state.async_pools, "the batched path did not start"
                answers.append(case(client, clock))
        else:  # no lifespan: the session path, on the same database
            assert not app.state.async_pools
            answers.append(case(client, clock))
        app.state.engine.dispose()
    assert answers[0] == answers[1]
    assert answers[0][0] == CASES[case][0] and CASES[case][1] in answers[0][1]
