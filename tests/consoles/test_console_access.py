"""Every staff page refuses the wrong role: the 403 page for a signed-in person of another
role (nothing done, nothing shown), sign-in first for nobody; every form refuses a post
without its CSRF token. (The officer's one-port pages are the port console's: /staff/port.)"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from staffkit import signed_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

COORDINATOR = {"coordinator", "admin"}
ANALYST = {"analyst", "admin"}
ADMIN = {"admin"}
STAFF = {"officer", "coordinator", "analyst", "admin"}
PAGES = {  # (method, route) → roles it serves
    ("GET", "/staff"): STAFF,
    ("GET", "/staff/corridor"): COORDINATOR,
    ("POST", "/staff/corridor/plans"): COORDINATOR,
    ("GET", "/staff/corridor/plans/{job_id}"): COORDINATOR,
    ("GET", "/staff/corridor/buses/{bus_id}"): COORDINATOR,
    ("GET", "/staff/corridor/buses/{bus_id}/manifest.{fmt}"): COORDINATOR,
    ("POST", "/staff/corridor/buses/{bus_id}/scan"): COORDINATOR,
    ("POST", "/staff/corridor/buses/{bus_id}/boarding"): COORDINATOR,
    ("POST", "/staff/corridor/buses/{bus_id}/status"): COORDINATOR,
    ("GET", "/staff/integrity"): ANALYST,
    ("GET", "/staff/integrity/alerts/{alert_id}"): ANALYST,
    ("POST", "/staff/integrity/alerts/{alert_id}/decision"): ANALYST,
    ("GET", "/staff/integrity/search"): ANALYST,
    ("GET", "/staff/integrity/jobs"): ANALYST,
    ("POST", "/staff/integrity/jobs"): ANALYST,
    ("GET", "/staff/integrity/jobs/{job_id}"): ANALYST,
    ("GET", "/staff/admin"): ADMIN,
    ("POST", "/staff/admin/audit/verify"): ADMIN,
    ("GET", "/staff/admin/audit/{job_id}"): ADMIN,
    ("GET", "/staff/admin/policies"): ADMIN,
    ("POST", "/staff/admin/policies"): ADMIN,
    ("GET", "/staff/admin/map/states.geojson"): ADMIN,
    ("GET", "/staff/admin/map/eligible.geojson"): ADMIN,
    ("GET", "/staff/admin/draws"): ADMIN,
    ("POST", "/staff/admin/draws/{service_date}"): ADMIN,
    ("GET", "/staff/admin/fairness"): ADMIN,
    ("GET", "/staff/admin/staff"): ADMIN,
    ("POST", "/staff/admin/staff"): ADMIN,
    ("POST", "/staff/admin/staff/{account_id}"): ADMIN,
    ("GET", "/staff/outbox"): ADMIN,  # every message sent (the notify branch's demo inbox)
}
PARAMS = {"job_id": "1", "bus_id": "1", "fmt": "pdf", "alert_id": "1",
          "service_date": "2024-09-10", "account_id": "1"}
QUERY = {"/staff/admin/map/eligible.geojson": "?date=2024-09-10",
         "/staff/admin/fairness": "?from=2024-09-01&to=2024-09-10"}
ROLES = ("applicant", "ngo", "officer", "coordinator", "analyst", "admin")


def test_every_staff_page_is_in_this_table(app):
    """A new /staff route without a row here fails (the port console's are its own)."""
    routes = {(m, r.path) for r in _routes(app.routes) if r.path.startswith("/staff")
              for m in getattr(r, "methods", None) or () if m != "HEAD"}
    mine = {(m, p) for m, p in routes if not p.startswith("/staff/port")}
    assert mine == set(PAGES)


def _routes(routes):
    """Every route, through included routers (FastAPI keeps them as included routers)."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        elif hasattr(r, "path"):
            yield r


def _url(route: str) -> str:
    return route.format(**PARAMS) + QUERY.get(route, "")


def test_each_page_refuses_every_other_role(app):
    clients = {role: signed_in(app, role, port="ELP" if role == "officer" else None)
               for role in ROLES}
    for (method, route), allowed in PAGES.items():
        path = _url(route)
        anonymous = TestClient(app).request(method, path, follow_redirects=False)
        assert anonymous.status_code in (303, 403), (method, path)  # sign in / no CSRF
        for role, client in clients.items():
            r = client.request(method, path, follow_redirects=False)
            if role in allowed:
                assert r.status_code != 403 or method == "POST", (role, method, path)
            else:
                assert r.status_code == 403, (role, method, path, r.status_code)
                if "geojson" not in path:
                    assert "text/html" in r.headers["content-type"]


def test_forms_refuse_a_post_without_the_csrf_token(app):
    admin = signed_in(app, "admin")
    for (method, route), allowed in PAGES.items():
        if method == "POST" and "admin" in allowed:
            path = _url(route)
            r = admin.post(path, data={"csrf": "forged"})
            assert r.status_code == 403 and "expired" in r.text, path
