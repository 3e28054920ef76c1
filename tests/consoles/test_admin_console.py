"""The administrator's console: the audit log's state, the policy timeline with the map's
layers for any day, a version added through the form (the map's zones change from its
day on), draws (commit, run, publication links, the fairness report), staff accounts."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest
from sqlalchemy import select, text
from staffkit import csrf, signed_in

from garita.audit.models import AuditEntry
from garita.db import transaction
from kit import ET

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _verify(admin) -> str:
    page = admin.get("/staff/admin")
    assert page.status_code == 200 and "entries in" in page.text
    r = admin.post("/staff/admin/audit/verify", data={"csrf": csrf(page.text)},
                   follow_redirects=False)
    assert r.status_code == 303
    for _ in range(120):
        part = admin.get(r.headers["location"], headers={"HX-Request": "true"}).text
        if "hx-trigger" not in part:
            return part
        time.sleep(0.5)
    raise AssertionError("the verification did not finish in a minute")


def test_the_audit_log_verified_and_a_tampered_entry_named(app):
    admin = signed_in(app, "admin")
    assert "No anchor has been written yet" in admin.get("/staff/admin").text
    assert "The chains verify" in _verify(admin)
    with app.state.engine.begin() as c:  # an insider edits one entry in place
        c.execute(text("UPDATE audit_entry SET actor = 'admin:999' WHERE id = "
                       "(SELECT MIN(id) FROM audit_entry)"))
    broken = _verify(admin)
    assert "1 lane is broken" in broken and "entry 1" in broken


def test_a_version_added_changes_the_map_from_its_day(app, clock):
    admin = signed_in(app, "admin")
    today = clock().astimezone(ET).date()
    states = admin.get("/staff/admin/map/states.geojson").json()
    assert len(states["features"]) == 32
    before = admin.get("/staff/admin/map/eligible.geojson",
                       params={"date": str(today), "nationality": "VEN"}).json()
    names = [f["properties"]["name"] for f in before["features"]]
    assert "Chiapas and Tabasco" in names and len(names) == 2
    page = admin.get("/staff/admin/policies", params={"date": str(today)})
    assert page.status_code == 200 and 'id="zones-map"' in page.text
    policy = json.loads(re.search(r'<textarea id="policy"[^>]*>(.*?)</textarea>', page.text,
                                  re.S).group(1).replace("&#34;", '"').replace("&quot;", '"'))
    policy["eligible_area"].append({"nationalities": ["*"], "zones": [
        {"kind": "states", "name": "Oaxaca", "states": ["Oaxaca"]}]})
    later = today + dt.timedelta(days=5)
    bad = admin.post("/staff/admin/policies", data={
        "csrf": csrf(page.text), "effective_from": str(today - dt.timedelta(days=1)),
        "note": "test: the past", "policy": json.dumps(policy)})
    assert bad.status_code == 422 and "cannot change the past" in bad.text
    r = admin.post("/staff/admin/policies", data={
        "csrf": csrf(page.text), "effective_from": str(later), "note": "test: Oaxaca opens",
        "policy": json.dumps(policy)})
    assert r.status_code == 200 and "test: Oaxaca opens" in r.text
    after = admin.get("/staff/admin/map/eligible.geojson",
                      params={"date": str(later), "nationality": "VEN"}).json()
    assert [f["properties"]["name"] for f in after["features"]][-1] == "Oaxaca"
    assert after["version"]["effective_from"] == str(later)
    still = admin.get("/staff/admin/map/eligible.geojson",
                      params={"date": str(later - dt.timedelta(days=1))}).json()
    assert len(still["features"]) == 2
    with transaction(app.state.sessions) as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "policy.add",
                                                 AuditEntry.actor.like("admin:%")))


def test_draws_commit_run_and_fairness(app, clock):
    admin = signed_in(app, "admin")
    day = clock().astimezone(ET).date()
    page = admin.get("/staff/admin/draws")
    assert page.status_code == 200 and "Commit the seed" in page.text
    r = admin.post(f"/staff/admin/draws/{day}", data={"csrf": csrf(page.text),
                                                       "action": "commit"})
    assert r.status_code == 200 and "Commit the seed" not in r.text.split(str(day))[1][:400]
    r = admin.post(f"/staff/admin/draws/{day}", data={"csrf": csrf(page.text), "action": "run"})
    assert r.status_code in (409, 422)  # before the draw time: refused, said as a page
    clock.set_et(day + dt.timedelta(days=1), 12, 5)
    r = admin.post(f"/staff/admin/draws/{day}", data={"csrf": csrf(page.text), "action": "run"})
    assert r.status_code == 200 and f"/draws/{day}/publication.json" in r.text
    report = admin.get("/staff/admin/fairness", params={"from": str(day), "to": str(day)})
    assert report.status_code == 200 and 'id="fairness-spec"' in report.text


def test_staff_accounts_created_and_moved(app):
    admin = signed_in(app, "admin")
    page = admin.get("/staff/admin/staff")
    r = admin.post("/staff/admin/staff", data={
        "csrf": csrf(page.text), "email": "new.officer@garita.example",
        "password": "correct horse battery", "role": "officer", "port": ""})
    assert r.status_code == 422 and "needs a port" in r.text
    r = admin.post("/staff/admin/staff", data={
        "csrf": csrf(page.text), "email": "new.officer@garita.example",
        "password": "correct horse battery", "role": "officer", "port": "ELP"})
    assert r.status_code == 200 and "new.officer@garita.example" in r.text
    account = re.search(r'action="/staff/admin/staff/(\d+)"[^<]*<input[^>]*>\s*<label[^>]*>'
                        r'Role of new.officer', r.text)
    assert account is not None
    r = admin.post(f"/staff/admin/staff/{account.group(1)}", data={
        "csrf": csrf(page.text), "role": "analyst", "port": ""})
    assert r.status_code == 200
    with transaction(app.state.sessions) as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "account.role"))
    assert entry is not None and entry.object_id == account.group(1)
