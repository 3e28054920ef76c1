"""The analyst's console: a screening job run from the page (progress, then results), the
queue filtered and paged, an alert explained part by part, decided with a reason (audited),
a duplicate's fields side by side, a name searched against the list."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select
from staffkit import csrf, signed_in

from garita.audit.models import AuditEntry
from garita.db import transaction
from garita.integrity import screening
from garita.integrity import service as alerts
from garita.integrity.lists import parse_plain
from kit import applicant, person, register

LIST = ("id,name,aliases,dates_of_birth,countries\n"
        "X1,\"QUINTERO, Rafael Caro\",El Principe,1952-10-03,MEX\n")


def _run(analyst, job: str) -> str:
    page = analyst.get("/staff/integrity/jobs")
    r = analyst.post("/staff/integrity/jobs", data={"csrf": csrf(page.text), "job": job},
                     follow_redirects=False)
    assert r.status_code == 303
    for _ in range(240):
        part = analyst.get(r.headers["location"], headers={"HX-Request": "true"})
        if "hx-trigger" not in part.text:
            return part.text
        time.sleep(0.5)
    raise AssertionError("the job did not finish in two minutes")


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_screen_explain_decide(client, app):
    with transaction(app.state.sessions) as s:
        screening.load(s, "test-list", "1", "csv", parse_plain(LIST), "test", app.state.clock())
    user = applicant(client)
    hit = register(client, user, lead=person(given="Rafael", family="Caro Quintero",
                                             born="1952-10-03", nationality="MEX"))
    analyst = signed_in(app, "analyst")
    done = _run(analyst, "screen")
    assert "New alerts" in done and "Done in" in done
    queue = analyst.get("/staff/integrity", params={"kind": "watchlist", "tier": "act"})
    ids = re.findall(r'/staff/integrity/alerts/(\d+)"', queue.text)
    assert len(ids) == 1 and "1 alert" in queue.text
    assert "/staff/integrity/alerts/" not in analyst.get(
        "/staff/integrity", params={"kind": "ring"}).text
    page = analyst.get(f"/staff/integrity/alerts/{ids[0]}")
    assert "QUINTERO, Rafael Caro" in page.text and ">exact<" in page.text
    assert "same date" in page.text
    r = analyst.post(f"/staff/integrity/alerts/{ids[0]}/decision",
                     data={"csrf": csrf(page.text), "status": "dismissed", "note": "x"})
    assert r.status_code == 422  # the reason is too short: nothing decided
    r = analyst.post(f"/staff/integrity/alerts/{ids[0]}/decision",
                     data={"csrf": csrf(page.text), "status": "dismissed",
                           "note": "another man: born elsewhere"})
    assert r.status_code == 200 and "another man: born elsewhere" in r.text
    with transaction(app.state.sessions) as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "alert.dismissed"))
        reads = s.scalars(select(AuditEntry.object_id).where(
            AuditEntry.action == "registration.read")).all()
    assert entry is not None and entry.object_id == ids[0]
    assert str(hit["id"]) in reads  # the queue and the alert page record who read what
    found = analyst.get("/staff/integrity/search", params={"name": "Rafael Caro Quintero"})
    assert found.status_code == 200 and "QUINTERO, Rafael Caro" in found.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_duplicate_side_by_side_and_paging(client, app):
    user = applicant(client)
    a = register(client, user, lead=person(given="Yusmary", family="Rojas Blanco"))
    b = register(client, user, lead=person(given="Yusmari", family="Rojas Blanco"))
    pa, pb = a["people"][0], b["people"][0]
    findings = [{"kind": "duplicate_identity", "registration_id": a["id"],
                 "person_id": pa["id"], "severity": "medium", "score": 0.97,
                 "key": f"dup:{pa['id']}:{pb['id']}", "summary": "same person",
                 "evidence": {"probability": 0.97, "other_person_id": pb["id"],
                              "other_registration_id": b["id"],
                              "this": {"given_names": "Yusmary", "family_names": "Rojas Blanco",
                                       "date_of_birth": "1990-04-02", "nationality": "VEN"},
                              "other": {"given_names": "Yusmari", "family_names": "Rojas Blanco",
                                        "date_of_birth": "1990-04-02", "nationality": "VEN"}}}]
    findings += [{"kind": "shared_phone", "registration_id": a["id"], "severity": "low",
                  "summary": f"phone {n}", "evidence": {"attribute": "phone", "value": str(n),
                                                        "people": 3}, "key": f"phone:{n}"}
                 for n in range(25)]
    with transaction(app.state.sessions) as s:
        alerts.raise_alerts(s, findings, app.state.clock(), "test")
    analyst = signed_in(app, "analyst")
    first = analyst.get("/staff/integrity")
    assert "26 alerts" in first.text and "Page 1 of 2" in first.text
    second = analyst.get("/staff/integrity", params={"page": 2})
    assert len(re.findall(r'/staff/integrity/alerts/\d+"', second.text)) == 6
    dup = analyst.get("/staff/integrity", params={"kind": "duplicate_identity"})
    [alert_id] = re.findall(r'/staff/integrity/alerts/(\d+)"', dup.text)
    page = analyst.get(f"/staff/integrity/alerts/{alert_id}")
    assert re.search(r"<td>Yusmary</td><td>Yusmari</td>", page.text)
