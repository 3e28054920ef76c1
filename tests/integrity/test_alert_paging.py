"""The alert queue pages, filters and sorts, and says how many match in all."""

from __future__ import annotations

import datetime as dt

from garita.db import transaction
from garita.integrity.models import Alert
from kit import applicant, register, staff


def test_alerts_page_filter_and_sort_with_a_total(client):
    reg = register(client, applicant(client))
    with transaction(client.app.state.sessions) as s:
        for i in range(7):
            s.add(Alert(kind="shared_address" if i % 2 else "watchlist", registration_id=reg["id"],
                        person_id=None, severity="high", status="open", score=i / 10,
                        summary=f"alert {i}", evidence={}, fingerprint=f"page-{i}",
                        raised_at=dt.datetime(2024, 9, 1 + i, tzinfo=dt.UTC), raised_by="test"))
    analyst = staff(client, "analyst")
    r = client.get("/integrity/alerts", params={"limit": 3, "offset": 3}, headers=analyst)
    assert r.status_code == 200 and r.headers["x-total-count"] == "7"
    assert [a["summary"] for a in r.json()] == ["alert 3", "alert 2", "alert 1"]  # newest first
    r = client.get("/integrity/alerts", params={"sort": "score", "limit": 2}, headers=analyst)
    assert [a["summary"] for a in r.json()] == ["alert 6", "alert 5"]
    r = client.get("/integrity/alerts", params={"kind": "shared_address", "from": "2024-09-03",
                                                "to": "2024-09-05"}, headers=analyst)
    assert r.headers["x-total-count"] == "1" and [a["summary"] for a in r.json()] == ["alert 3"]
    r = client.get("/integrity/alerts", params={"kind": "shared_address", "sort": "oldest"},
                   headers=analyst)
    assert [a["summary"] for a in r.json()] == ["alert 1", "alert 3", "alert 5"]
    r = client.get("/integrity/alerts", params={"sort": "loudest"}, headers=analyst)
    assert r.status_code == 422 and "sort" in r.json()["detail"]
