"""Signing staff in through the pages (the /signin form, its CSRF token, the cookie)."""

from __future__ import annotations

import re
from itertools import count

from fastapi.testclient import TestClient

from garita.auth import service as accounts
from garita.auth.schemas import StaffIn
from garita.db import transaction
from garita.identity import Principal, Role
from kit import verify

_n = count(1)
PASSWORD = "correct horse battery"


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def make_staff(app, role: str, port: str | None = None) -> str:
    email = f"page-{role}{next(_n)}@garita.example"
    with transaction(app.state.sessions) as s:
        accounts.create_staff(s, app.state.hasher,
                              StaffIn(email=email, password=PASSWORD, role=Role(role), port=port),
                              Principal(account_id=0, role=Role.admin))
    return email


def signed_in(app, role: str, port: str | None = None) -> TestClient:
    """A browser-like client signed in through /signin as a new account of ``role``."""
    client = TestClient(app)
    if role in ("applicant", "ngo"):
        email = f"page-{role}{next(_n)}@example.org"
        r = client.post("/auth/signup", json={"email": email, "password": PASSWORD, "role": role})
        assert r.status_code == 202, r.text
        verify(client, email)  # sign-in needs a confirmed email
    else:
        email = make_staff(app, role, port)
    token = csrf(client.get("/signin").text)
    r = client.post("/signin", data={"csrf": token, "email": email, "password": PASSWORD},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client
