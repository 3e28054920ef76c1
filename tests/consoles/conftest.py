"""Console fixtures: the corridor's app with a road-time table (as tests/corridor)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corridor"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from test_browser import browser  # noqa: F401 - the browser tests' Chromium fixture

from garita.app import create_app
from kit import settings_for


@pytest.fixture
def app(database_url: str, clock, tmp_path: Path):
    roads = tmp_path / "roads.csv"
    roads.write_text("from,to,hours\n", "utf-8")
    application = create_app(settings_for(database_url, road_times_file=roads), clock=clock)
    yield application
    application.state.engine.dispose()
