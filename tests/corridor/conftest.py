"""Corridor fixtures: confirmed appointments near Tapachula, and an app whose road-time
table (GARITA_ROAD_TIMES_FILE) a test may rewrite between plans (it is read per plan)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corridor_kit import confirm_three

from garita.app import create_app
from kit import settings_for


@pytest.fixture
def road_times(tmp_path: Path) -> Path:
    path = tmp_path / "roads.csv"
    path.write_text("from,to,hours\n", "utf-8")  # empty table: estimated times
    return path


@pytest.fixture
def app(database_url: str, clock, road_times: Path):
    application = create_app(settings_for(database_url, road_times_file=road_times),
                             clock=clock)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def confirmed(client, clock):
    return confirm_three(client, clock)
