"""The staff shell: sign-in sends staff to /staff, /staff to each role's console, and a
page for another role answers the 403 page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from staffkit import PASSWORD, csrf, make_staff, signed_in

from garita.web.staff import CONSOLES

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize("role", ["officer", "coordinator", "analyst", "admin"])
def test_staff_sign_in_lands_on_their_console(app, role):
    client = TestClient(app)
    email = make_staff(app, role, port="ELP" if role == "officer" else None)
    r = client.post("/signin", data={"csrf": csrf(client.get("/signin").text), "email": email,
                                     "password": PASSWORD}, follow_redirects=False)
    assert r.headers["location"] == "/staff"
    r = client.get("/staff", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == CONSOLES[role]


def test_the_landing_refuses_the_public_and_asks_strangers_to_sign_in(app):
    r = TestClient(app).get("/staff", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/signin?next=/staff"
    for role in ("applicant", "ngo"):
        r = signed_in(app, role).get("/staff")
        assert r.status_code == 403 and "text/html" in r.headers["content-type"]
