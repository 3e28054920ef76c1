"""25 parallel clients book seats for one appointment on PostgreSQL: one live request.

A real uvicorn server on loopback and client threads, so the inserts really race
in the database; the partial unique index (migration 0007) decides, the losers
get the winner's request back (200), and nothing answers 500.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from garita.corridor.models import SeatRequest
from kit import live_server

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corridor_kit import confirm_three

CLIENTS = 25


@pytest.fixture
def server(pg_database, clock):
    with live_server(pg_database, clock, pool_size=CLIENTS) as running:
        yield running


def test_parallel_bookings_leave_one_live_request(server, clock):
    app, base = server
    with TestClient(app) as tc:
        (fam, _, offer), *_ = confirm_three(tc, clock)
    barrier = threading.Barrier(CLIENTS)

    def book(_: int) -> tuple[int, int | None]:
        with httpx.Client(base_url=base, timeout=60) as c:
            barrier.wait()
            r = c.post(f"/corridor/appointments/{offer['id']}/seats", headers=fam)
            return r.status_code, r.json().get("id")

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(book, range(CLIENTS)))
    codes = Counter(code for code, _ in results)
    assert codes == Counter({201: 1, 200: CLIENTS - 1}), codes
    assert len({rid for _, rid in results}) == 1  # everyone got the same request
    with app.state.sessions() as s:
        assert s.scalar(select(func.count(SeatRequest.id)).where(
            SeatRequest.offer_id == offer["id"])) == 1
