"""The notices fixture: one confirmed appointment per test, on each backend."""

from __future__ import annotations

import pytest
from notices_kit import confirmed


@pytest.fixture
def appointment(client, clock) -> dict:
    return confirmed(client, clock)
