"""Shared fixtures: real SQLite and real PostgreSQL, a controllable clock, API clients.

API tests run once per backend. PostgreSQL comes from GARITA_TEST_DATABASE_URL
(``.ci/run`` sets it); without it those cases skip with that reason. Each test
starts from empty tables with the shipped policy history loaded.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from garita import migrate
from garita.app import create_app
from garita.db import make_engine
from garita.models import Account  # noqa: F401 - registers every table
from kit import ET, SHARED_DATA, Clock, empty_database, settings_for  # noqa: F401 - re-exported


def _postgres_url() -> str | None:
    return os.environ.get("GARITA_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    base = _postgres_url()
    if not base:
        pytest.skip("GARITA_TEST_DATABASE_URL is not set (PostgreSQL cases need it)")
    url = make_url(base)
    name = f"garita_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    test_url = url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(test_url)
    migrate.upgrade(engine)
    engine.dispose()
    yield test_url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'garita.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_database" if request.param == "sqlite" else "pg_database"
    url = request.getfixturevalue(name)
    empty_database(url)
    return url


@pytest.fixture
def clock() -> Clock:
    c = Clock(dt.datetime(2024, 9, 10, 14, 0, tzinfo=ET))
    return c


@pytest.fixture
def app(database_url: str, clock: Clock):
    application = create_app(settings_for(database_url), clock=clock)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c
