"""Sessions on the test database (SQLite and PostgreSQL) and an import helper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from garita.db import make_engine, make_sessionmaker, transaction
from garita.stats import service

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def load(sessions):
    """``load(path, ...)`` imports files in one transaction; returns the results."""

    def run(*paths: Path):
        with transaction(sessions) as s:
            return [service.import_file(s, p.name, p.read_bytes(), NOW, "test") for p in paths]

    return run


@pytest.fixture
def report(sessions):
    def run(region: str, by: str):
        with transaction(sessions) as s:
            return service.encounters(s, region, by.split(","))

    return run
